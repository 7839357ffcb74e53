import { Button, Group, Text, VisuallyHidden } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { AuditEntry, AuditFilters } from '../audit/audit-api.ts';
import { AuditFiltersForm } from '../audit/audit-filters-form.tsx';
import { AuditTable } from '../audit/audit-table.tsx';
import { ProofModal } from '../audit/proof-modal.tsx';
import { useAuditEntries } from '../audit/use-audit-entries.ts';
import { EmptyStateCard } from '../empty-state-card.tsx';
import { PageHeader } from '../page-header.tsx';
import { LoadFailed, LoadingRows } from '../resource-view.tsx';
import { auditScreen } from '../screens.ts';

const filterKeys = ['recordType', 'recordId', 'actorId', 'from', 'to'] as const;

function filtersFrom(params: URLSearchParams): AuditFilters {
  const filters: AuditFilters = {};
  for (const key of filterKeys) {
    const value = params.get(key);
    if (value) filters[key] = value;
  }
  return filters;
}

function paramsFrom(filters: AuditFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of filterKeys) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  return params;
}

/** Every change to regulated data, who made it and why, with its proof of inclusion in the signed ledger. */
export function AuditPage() {
  const [searchParams, setSearchParams] = useSearchParams();
  const paramsKey = searchParams.toString();
  // biome-ignore lint/correctness/useExhaustiveDependencies: `paramsKey` is the value of `searchParams`.
  const filters = useMemo(() => filtersFrom(searchParams), [paramsKey]);
  const filtered = Object.keys(filters).length > 0;
  const audit = useAuditEntries(filters);
  const [proofFor, setProofFor] = useState<AuditEntry | null>(null);
  const applyFilters = (next: AuditFilters) => setSearchParams(paramsFrom(next));

  return (
    <>
      <PageHeader title={auditScreen.title} purpose={auditScreen.purpose} />
      <AuditFiltersForm filters={filters} onApply={applyFilters} />
      <section aria-labelledby="audit-entries-heading">
        <Text component="h2" id="audit-entries-heading" fz="h4" fw={650} mb="sm">
          Entries
        </Text>
        {audit.loading ? <LoadingRows label="Loading the audit trail" height={48} /> : null}
        {!audit.loading && audit.entries.length === 0 && !audit.problem ? (
          filtered ? (
            <EmptyStateCard
              headingOrder={3}
              title="No entries match these filters"
              description="Widen the period, or clear a filter. Record IDs and user IDs must match exactly."
            />
          ) : (
            <EmptyStateCard
              headingOrder={3}
              title={auditScreen.empty.title}
              description={auditScreen.empty.description}
            />
          )
        ) : null}
        {audit.entries.length > 0 ? (
          <AuditTable entries={audit.entries} onProof={setProofFor} onFilter={applyFilters} />
        ) : null}
        {audit.problem ? (
          <LoadFailed problem={audit.problem} action="load the audit trail" onRetry={audit.retry} mt="md" />
        ) : null}
        <Group mt="md" gap="sm">
          {audit.hasMore && !audit.loading && !audit.problem ? (
            <Button variant="default" loading={audit.loadingMore} onClick={audit.loadMore}>
              Load more
            </Button>
          ) : null}
          {!audit.loading && !audit.hasMore && audit.entries.length > 0 ? (
            <Text size="sm" c="dimmed">
              That is every entry{filtered ? ' matching these filters' : ''}.
            </Text>
          ) : null}
        </Group>
        <VisuallyHidden role="status">
          {audit.loading ? '' : `${audit.entries.length} entries shown.`}
        </VisuallyHidden>
      </section>
      <ProofModal entry={proofFor} onClose={() => setProofFor(null)} />
    </>
  );
}
