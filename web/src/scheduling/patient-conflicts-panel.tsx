import { List, Paper, Stack, Text } from '@mantine/core';
import { formatLocalDateTime } from '../date-time.ts';
import type { ConflictParty, PatientConflicts } from './scheduling-api.ts';
import { dayLabel, workTypeTitle } from './scheduling-labels.ts';

function partyLabel(party: ConflictParty): string {
  return party.kind === 'appointment'
    ? `${party.label} (${formatLocalDateTime(party.startsAt)})`
    : `${workTypeTitle(party.workType)} on ${dayLabel(party.day, true)}`;
}

/** The patient's overlapping commitments, each with the ways to resolve it. */
export function PatientConflictsPanel({ data }: { data: PatientConflicts }) {
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="conflicts-heading">
      <Text component="h2" id="conflicts-heading" fz="h4" fw={650} mb="sm">
        Patient conflicts
      </Text>
      {data.conflicts.length === 0 ? (
        <Text size="sm" c="dimmed">
          No overlap with the patient's other appointments
          {data.appointments.length > 0 ? ` (${data.appointments.length} on record)` : ''}.
        </Text>
      ) : (
        <Stack gap="md">
          {data.conflicts.map((conflict) => (
            <div key={`${partyLabel(conflict.a)}|${partyLabel(conflict.b)}`}>
              <Text size="sm" fw={600} c="red.9">
                {partyLabel(conflict.a)} overlaps {partyLabel(conflict.b)} by {conflict.overlapMinutes} min
              </Text>
              {conflict.resolutions.length > 0 ? (
                <>
                  <Text size="xs" c="dimmed" mt={2}>
                    Ways to resolve it:
                  </Text>
                  <List size="sm" spacing={2}>
                    {conflict.resolutions.map((resolution) => (
                      <List.Item key={resolution}>{resolution}</List.Item>
                    ))}
                  </List>
                </>
              ) : null}
            </div>
          ))}
        </Stack>
      )}
    </Paper>
  );
}
