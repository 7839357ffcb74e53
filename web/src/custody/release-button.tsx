import { Button } from '@mantine/core';
import { useState } from 'react';
import { type ProblemDetail, problemOf } from '../api-client.ts';
import { ProblemAlert } from '../problem-alert.tsx';
import { type CustodyItem, releaseItem } from './custody-api.ts';

/** QA releases a final product bag for infusion; refused (and said why) before the batch release step. */
export function ReleaseButton({ item, onReleased }: { item: CustodyItem; onReleased: () => void }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemDetail | null>(null);
  return (
    <div>
      <Button
        size="sm"
        color="teal"
        variant="light"
        loading={busy}
        aria-label={`Release ${item.unitCode} for infusion`}
        onClick={async () => {
          setBusy(true);
          setProblem(null);
          try {
            await releaseItem(item.id);
            onReleased();
          } catch (error) {
            setProblem(problemOf(error));
          } finally {
            setBusy(false);
          }
        }}
      >
        Release for infusion
      </Button>
      {problem ? <ProblemAlert problem={problem} action="release the product" /> : null}
    </div>
  );
}
