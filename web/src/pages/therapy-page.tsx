import { PageHeader } from '../page-header.tsx';
import { ResourceView } from '../resource-view.tsx';
import { therapyScreen } from '../screens.ts';
import { TemplateTable } from '../therapy/template-table.tsx';
import { fetchTemplates } from '../therapy/therapy-api.ts';
import { useResource } from '../use-resource.ts';

/** Every therapy programme template and its versions. */
export function TherapyPage() {
  const { state, reload } = useResource(fetchTemplates);
  return (
    <>
      <PageHeader title={therapyScreen.title} purpose={therapyScreen.purpose} />
      <ResourceView state={state} reload={reload} what="the therapy programmes" empty={therapyScreen.empty}>
        {(templates) => <TemplateTable templates={templates} />}
      </ResourceView>
    </>
  );
}
