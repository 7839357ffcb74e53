import { Anchor, Button, Group, Table, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import { countLabel } from '../count-label.ts';
import { DateTimeText } from '../date-time-text.tsx';
import { TemplateStatusBadge } from '../status-badges.tsx';
import type { TemplateSummary } from './therapy-api.ts';
import { therapyTypeLabel } from './therapy-labels.ts';

/** Each template's versions, newest first within a template. */
function sorted(templates: TemplateSummary[]): TemplateSummary[] {
  return [...templates].sort((a, b) =>
    a.code === b.code ? b.version - a.version : a.title.localeCompare(b.title),
  );
}

export function templatePath(code: string, version: number): string {
  return `/therapy/${encodeURIComponent(code)}/versions/${version}`;
}

export function comparePath(code: string, from?: number, to?: number): string {
  const query = from && to ? `?from=${from}&to=${to}` : '';
  return `/therapy/${encodeURIComponent(code)}/compare${query}`;
}

/** Every therapy template and version, with its status; open one to see its flow. */
export function TemplateTable({ templates }: { templates: TemplateSummary[] }) {
  const versionsOf = (code: string) => templates.filter((t) => t.code === code).length;
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table withTableBorder verticalSpacing="sm">
        <Table.Caption>
          {countLabel(new Set(templates.map((t) => t.code)).size, 'programme')},{' '}
          {countLabel(templates.length, 'version')}
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Programme</Table.Th>
            <Table.Th scope="col">Therapy</Table.Th>
            <Table.Th scope="col">Version</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            <Table.Th scope="col">Published</Table.Th>
            <Table.Th scope="col">Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sorted(templates).map((template) => (
            <Table.Tr key={`${template.code}-${template.version}`}>
              <Table.Th scope="row" fw={500}>
                <Anchor component={Link} to={templatePath(template.code, template.version)} size="sm">
                  {template.title}
                </Anchor>
                <Text size="xs" c="dimmed" ff="monospace">
                  {template.code}
                </Text>
              </Table.Th>
              <Table.Td>
                <Text size="sm">{therapyTypeLabel(template.therapyType)}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">v{template.version}</Text>
              </Table.Td>
              <Table.Td>
                <TemplateStatusBadge status={template.status} />
              </Table.Td>
              <Table.Td>
                {template.publishedAt ? (
                  <DateTimeText iso={template.publishedAt} withUtc={false} />
                ) : (
                  <Text size="sm" c="dimmed">
                    Not published
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <Button
                    component={Link}
                    to={templatePath(template.code, template.version)}
                    size="xs"
                    variant="default"
                    aria-label={`View ${template.title} v${template.version}`}
                  >
                    View flow
                  </Button>
                  {versionsOf(template.code) > 1 ? (
                    <Button
                      component={Link}
                      to={comparePath(template.code)}
                      size="xs"
                      variant="subtle"
                      aria-label={`Compare versions of ${template.title}`}
                    >
                      Compare
                    </Button>
                  ) : null}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
