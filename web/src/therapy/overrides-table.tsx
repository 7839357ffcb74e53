import { Table, Text } from '@mantine/core';
import type { TemplateOverride } from './therapy-api.ts';
import { leadTimeLabel } from './therapy-labels.ts';

function scopeLabel(scope: TemplateOverride['scope']): string {
  const parts = [
    scope.country ? `country ${scope.country}` : null,
    scope.siteId ? `site ${scope.siteId}` : null,
    scope.stage ? `stage ${scope.stage}` : null,
    scope.step ? `step ${scope.step}` : null,
  ].filter((part): part is string => part !== null);
  return parts.length > 0 ? parts.join(', ') : 'everywhere';
}

function changeLabel(set: TemplateOverride['set']): string {
  const parts: string[] = [];
  for (const lead of set.leadTimes ?? [])
    parts.push(`lead time to ${lead.toStep}: ${leadTimeLabel(lead.min, lead.max, lead.unit)}`);
  for (const field of set.fields ?? [])
    parts.push(`${field.field} ${field.required ? 'required' : 'optional'}`);
  if (set.signatureCount !== undefined) parts.push(`${set.signatureCount} signature(s)`);
  return parts.join('; ');
}

/** What changes by country, site, stage or step; the highest priority wins among matching overrides. */
export function OverridesTable({ overrides }: { overrides: TemplateOverride[] }) {
  return (
    <section aria-labelledby="overrides-heading">
      <Text component="h2" id="overrides-heading" fz="h4" fw={650} mb={4} mt="xl">
        Overrides
      </Text>
      {overrides.length === 0 ? (
        <Text size="sm" c="dimmed">
          None: every country and site follows the template as drawn above.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table withTableBorder verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Override</Table.Th>
                <Table.Th scope="col">Priority</Table.Th>
                <Table.Th scope="col">Applies to</Table.Th>
                <Table.Th scope="col">Changes</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {[...overrides]
                .sort((a, b) => b.priority - a.priority)
                .map((override) => (
                  <Table.Tr key={override.key}>
                    <Table.Th scope="row" fw={500} ff="monospace" fz="sm">
                      {override.key}
                    </Table.Th>
                    <Table.Td>{override.priority}</Table.Td>
                    <Table.Td>{scopeLabel(override.scope)}</Table.Td>
                    <Table.Td>{changeLabel(override.set)}</Table.Td>
                  </Table.Tr>
                ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </section>
  );
}
