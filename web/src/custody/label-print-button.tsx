import { Anchor, Button, Group, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { ReasonModal } from '../admin/reason-modal.tsx';
import { type ProblemDetail, problemOf } from '../api-client.ts';
import { ProblemAlert } from '../problem-alert.tsx';
import { type CustodyItem, printLabel } from './custody-api.ts';

/**
 * Prints a unit's label, or reprints it with a reason (every print is counted and recorded), and
 * opens the PDF. The link stays for when the browser blocks the new tab.
 */
export function LabelPrintButton({ item, onPrinted }: { item: CustodyItem; onPrinted: () => void }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemDetail | null>(null);
  const [printed, setPrinted] = useState<{ url: string; printNumber: number } | null>(null);

  // The new tab may still be reading the PDF: let go of it a minute later, not at once.
  useEffect(
    () => () => {
      if (printed) setTimeout(() => URL.revokeObjectURL(printed.url), 60_000);
    },
    [printed],
  );

  const print = async (reason?: string) => {
    const { pdf, printNumber } = await printLabel(item.id, reason);
    const url = URL.createObjectURL(pdf);
    setPrinted({ url, printNumber });
    window.open(url, '_blank', 'noopener');
    onPrinted();
  };

  const firstPrint = async () => {
    setBusy(true);
    setProblem(null);
    try {
      await print();
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  };

  const reprint = item.labelPrints > 0;
  return (
    <div>
      <Group gap="xs" wrap="wrap">
        <Button
          variant="default"
          size="sm"
          loading={busy}
          onClick={() => (reprint ? setAsking(true) : void firstPrint())}
          aria-label={`${reprint ? 'Reprint' : 'Print'} the label of ${item.unitCode}`}
        >
          {reprint ? 'Reprint label' : 'Print label'}
        </Button>
        {printed ? (
          <Anchor href={printed.url} target="_blank" size="sm">
            Open label PDF (print {printed.printNumber})
          </Anchor>
        ) : null}
      </Group>
      {problem ? <ProblemAlert problem={problem} action="print the label" /> : null}
      <ReasonModal
        opened={asking}
        title={`Reprint the label of ${item.unitCode}`}
        confirmLabel="Reprint label"
        action="reprint the label"
        onClose={() => setAsking(false)}
        onConfirm={async (reason) => {
          await print(reason);
          setAsking(false);
        }}
      >
        <Text size="sm">
          This label has been printed {item.labelPrints} time{item.labelPrints === 1 ? '' : 's'}. A reprint is
          recorded with your name and reason; destroy the label it replaces.
        </Text>
      </ReasonModal>
    </div>
  );
}
