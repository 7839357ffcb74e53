import { Paper, Text, TextInput } from '@mantine/core';
import { useRef, useState } from 'react';
import { type ProblemDetail, problemOf } from '../api-client.ts';
import { ProblemAlert } from '../problem-alert.tsx';
import type { ScanResult } from './custody-api.ts';
import { displayIsbt } from './custody-labels.ts';

export interface ScanOutcome {
  result: ScanResult;
  scanned: string;
}

/**
 * The scan field: focused on arrival, so a keyboard-wedge scanner can "type" straight into it; the
 * scanner's Enter sends the scan, and the field empties and keeps focus for the next bar code.
 * The answer for each scan shows at once: a green match or a red mismatch.
 */
export function ScanField({
  label,
  disabled,
  onScan,
}: {
  label: string;
  disabled?: boolean;
  onScan: (text: string) => Promise<ScanOutcome>;
}) {
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [last, setLast] = useState<ScanOutcome | null>(null);
  const [problem, setProblem] = useState<ProblemDetail | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const send = async () => {
    const text = value;
    if (!text.trim() || busy) return;
    setBusy(true);
    setProblem(null);
    try {
      setLast(await onScan(text));
      setValue('');
    } catch (error) {
      setLast(null);
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
      input.current?.focus();
    }
  };

  const bad = last?.result === 'mismatch';
  return (
    <div>
      <TextInput
        ref={input}
        label={label}
        description="Scan the bar code, or type the number and press Enter."
        size="xl"
        autoFocus
        autoComplete="off"
        autoCorrect="off"
        spellCheck={false}
        name="scan"
        value={value}
        disabled={disabled}
        onChange={(event) => setValue(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            void send();
          }
        }}
        styles={{
          label: { fontSize: 'var(--mantine-font-size-lg)', fontWeight: 650 },
          description: { fontSize: 'var(--mantine-font-size-sm)' },
          input: { fontFamily: 'var(--mantine-font-family-monospace)' },
        }}
      />
      <div aria-live="assertive">
        {last ? (
          <Paper
            mt="sm"
            p="md"
            radius="md"
            bg={bad ? 'red.8' : 'teal.8'}
            c="white"
            data-testid="last-scan"
            data-result={last.result}
          >
            <Text fw={800} fz="xl">
              {bad ? '✗ Mismatch' : '✓ Match'}
            </Text>
            <Text ff="monospace" fw={600}>
              {displayIsbt(last.scanned)}
            </Text>
            <Text size="sm">
              {bad
                ? 'This identifier is not part of this hand-off. Set the item aside and call your supervisor.'
                : last.result === 'chain_of_identity'
                  ? 'The chain of identity of this therapy. Now scan each unit.'
                  : 'A unit of this hand-off.'}
            </Text>
          </Paper>
        ) : null}
      </div>
      {problem ? <ProblemAlert problem={problem} action="record the scan" /> : null}
    </div>
  );
}
