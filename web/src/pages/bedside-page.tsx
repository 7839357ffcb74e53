import '../custody/custody.css';
import { Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import { useParams } from 'react-router-dom';
import { BackLink } from '../back-link.tsx';
import { BedsideForm } from '../custody/bedside-form.tsx';
import { BedsideResult } from '../custody/bedside-result.tsx';
import { ChainOfIdentityPanel } from '../custody/chain-of-identity-panel.tsx';
import { type BedsideVerification, fetchCustody, verifyAtBedside } from '../custody/custody-api.ts';
import { custodyCasePath } from '../custody/custody-paths.ts';
import { PageHeader } from '../page-header.tsx';
import { LoadFailed, LoadingRows } from '../resource-view.tsx';
import { useResource } from '../use-resource.ts';

/** Bedside verification before infusion: scan the wristband and the bag; pass, or a hard stop. */
export function BedsidePage() {
  const { caseId = '' } = useParams();
  const load = useCallback((signal: AbortSignal) => fetchCustody(caseId, signal), [caseId]);
  const { state, reload } = useResource(load);
  const [result, setResult] = useState<BedsideVerification | null>(null);
  const [attempt, setAttempt] = useState(0);

  const back = <BackLink to={custodyCasePath(caseId)} label="Custody of the case" />;
  const header = (
    <PageHeader
      title="Bedside verification"
      purpose="Before infusion, scan the patient's wristband and the product bag. Every check must pass."
    />
  );
  if (state.status === 'loading')
    return (
      <>
        {back}
        {header}
        <LoadingRows label="Loading the case" height={60} />
      </>
    );
  if (state.status === 'error')
    return (
      <>
        {back}
        {header}
        <LoadFailed problem={state.problem} action="load the case" onRetry={reload} />
      </>
    );
  return (
    <>
      {back}
      {header}
      <Text size="lg" fw={600} mb="sm">
        {state.data.patientLabel}
      </Text>
      <div style={{ marginBottom: 'var(--mantine-spacing-lg)' }}>
        <ChainOfIdentityPanel value={state.data.chainOfIdentity} />
      </div>
      {result ? (
        <BedsideResult
          verification={result}
          onAgain={() => {
            setResult(null);
            setAttempt((n) => n + 1);
            reload();
          }}
        />
      ) : (
        <BedsideForm
          key={attempt}
          onVerify={async (scans) => setResult(await verifyAtBedside(caseId, scans))}
        />
      )}
    </>
  );
}
