import { useCallback, useMemo, useRef } from 'react';
import { useSearchParams } from 'react-router-dom';
import { CaseFiltersForm } from '../cases/case-filters-form.tsx';
import { type CaseFilters, type CaseSummary, fetchCases } from '../cases/cases-api.ts';
import { CasesTable } from '../cases/cases-table.tsx';
import { PageHeader } from '../page-header.tsx';
import { ResourceView } from '../resource-view.tsx';
import { casesScreen } from '../screens.ts';
import { useResource } from '../use-resource.ts';

const textKeys = ['therapyType', 'stage', 'partnerId', 'status'] as const;

function filtersFrom(params: URLSearchParams): CaseFilters {
  const filters: CaseFilters = {};
  for (const key of textKeys) {
    const value = params.get(key);
    if (value) filters[key] = value;
  }
  if (params.get('overdue') === 'true') filters.overdue = true;
  return filters;
}

function paramsFrom(filters: CaseFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of textKeys) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  if (filters.overdue) params.set('overdue', 'true');
  return params;
}

/** Every case the caller may see, filtered by therapy, stage, centre, status or overdue steps. */
export function CasesPage() {
  const [searchParams, setSearchParams] = useSearchParams();
  const paramsKey = searchParams.toString();
  // biome-ignore lint/correctness/useExhaustiveDependencies: `paramsKey` is the value of `searchParams`.
  const filters = useMemo(() => filtersFrom(searchParams), [paramsKey]);
  const filtered = Object.keys(filters).length > 0;
  const load = useCallback((signal: AbortSignal) => fetchCases(filters, signal), [filters]);
  const { state, reload } = useResource(load);

  // Stages seen in any answer so far, so the stage filter offers them.
  const seenStages = useRef(new Map<string, string>());
  if (state.status === 'success')
    for (const item of state.data as CaseSummary[])
      for (const step of item.currentSteps)
        if (!seenStages.current.has(step.stage))
          seenStages.current.set(step.stage, step.stage.replace(/_/g, ' '));

  return (
    <>
      <PageHeader title={casesScreen.title} purpose={casesScreen.purpose} />
      <CaseFiltersForm
        filters={filters}
        stages={seenStages.current}
        onApply={(next) => setSearchParams(paramsFrom(next))}
      />
      <section aria-labelledby="cases-heading">
        <h2 id="cases-heading" className="visually-hidden">
          Cases
        </h2>
        <ResourceView
          state={state}
          reload={reload}
          what="the cases"
          empty={
            filtered
              ? {
                  title: 'No cases match these filters',
                  description:
                    'Clear a filter or choose another one; only cases your organisation takes part in are listed.',
                }
              : casesScreen.empty
          }
        >
          {(cases) => <CasesTable cases={cases} />}
        </ResourceView>
      </section>
    </>
  );
}
