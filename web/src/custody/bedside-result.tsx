import { Button, Group, List, Stack, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import type { BedsideVerification } from './custody-api.ts';
import { bedsideCheckLabel } from './custody-labels.ts';

/**
 * The bedside answer, impossible to misread: a full-width green PASS listing every check, or a
 * full-width red STOP — do not infuse — naming each check that failed. Words, not only colour.
 */
export function BedsideResult({
  verification,
  onAgain,
}: {
  verification: BedsideVerification;
  onAgain: () => void;
}) {
  const pass = verification.result === 'pass';
  const panel = useRef<HTMLElement>(null);
  // The answer takes the focus and the screen, whichever field the scanner last filled.
  useEffect(() => {
    panel.current?.focus();
    panel.current?.scrollIntoView({ block: 'start' });
  }, []);
  const failed = verification.checks.filter((c) => !c.ok);
  return (
    <section
      ref={panel}
      tabIndex={-1}
      className="bedside-result"
      data-result={verification.result}
      role={pass ? 'status' : 'alert'}
      aria-label={pass ? 'Bedside verification passed' : 'Bedside verification: stop, do not infuse'}
    >
      <Stack gap="md">
        <Group gap="md" align="center" wrap="wrap">
          <Text component="p" className="bedside-result-word" aria-hidden="true">
            {pass ? '✓ PASS' : '✕ STOP'}
          </Text>
          <Text component="p" fz={28} fw={800} m={0}>
            {pass ? 'Patient and product match. You may infuse.' : 'Do not infuse.'}
          </Text>
        </Group>
        {pass ? (
          <List spacing={6} size="lg" listStyleType="none" aria-label="Checks passed">
            {verification.checks.map((c) => (
              <List.Item key={c.check}>
                <Text fw={700} span>
                  ✓ {bedsideCheckLabel(c.check)}
                </Text>
                <Text span> — {c.detail}</Text>
              </List.Item>
            ))}
          </List>
        ) : (
          <>
            <List spacing={6} size="lg" listStyleType="none" aria-label="Checks failed">
              {failed.map((c) => (
                <List.Item key={c.check}>
                  <Text fw={800} span>
                    ✕ {bedsideCheckLabel(c.check)}
                  </Text>
                  <Text span> — {c.detail}</Text>
                </List.Item>
              ))}
            </List>
            <Text fz="lg" fw={600}>
              QA and the case manager have been alerted, and a deviation has been recorded. Keep the bag and
              the wristband as they are until QA has reviewed.
            </Text>
          </>
        )}
        <Group>
          <Button size="lg" variant="white" color={pass ? 'teal' : 'red'} onClick={onAgain}>
            Scan again
          </Button>
        </Group>
      </Stack>
    </section>
  );
}
