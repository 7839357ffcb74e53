import { Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { SignatureManifestation } from '../signatures/signature-manifestation.tsx';
import { fetchSignatures, type Signature } from '../signatures/signatures-api.ts';

/** The signatures given on a case step so far; reloaded whenever the count the case shows changes. */
export function useStepSignatures(caseId: string | undefined, step: string, given: number): Signature[] {
  const [signatures, setSignatures] = useState<Signature[]>([]);
  useEffect(() => {
    if (!caseId || given === 0) return;
    const controller = new AbortController();
    fetchSignatures('case_step', `${caseId}:${step}`, controller.signal).then(setSignatures, () => {});
    return () => controller.abort();
  }, [caseId, step, given]);
  return signatures;
}

/** Each signature given on a step, with its manifestation. */
export function StepSignatures({ signatures }: { signatures: Signature[] }) {
  if (signatures.length === 0) return null;
  return (
    <Stack gap={6} mt={6} aria-label="Signatures given">
      {signatures.map((signature) => (
        <SignatureManifestation key={signature.id} signature={signature} />
      ))}
      <Text size="xs" c="dimmed">
        Each signature is bound to the step record as it was signed.
      </Text>
    </Stack>
  );
}
