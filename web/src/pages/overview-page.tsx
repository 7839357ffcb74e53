import { Paper, SimpleGrid, Table, Text, Title } from '@mantine/core';
import { countLabel } from '../count-label.ts';
import { countryName } from '../country-name.ts';
import { fetchNetworkSummary, type NetworkPartner, type NetworkSummary } from '../network-summary.ts';
import { PageHeader } from '../page-header.tsx';
import { partnerTypeLabel, partnerTypeOrder, partnerTypePluralLabel } from '../partner-types.ts';
import { ResourceView } from '../resource-view.tsx';
import { overviewScreen } from '../screens.ts';
import { useResource } from '../use-resource.ts';

function byTypeThenName(a: NetworkPartner, b: NetworkPartner): number {
  return partnerTypeOrder(a.type) - partnerTypeOrder(b.type) || a.name.localeCompare(b.name);
}

function PartnerCounts({ counts }: { counts: NetworkSummary['counts'] }) {
  const entries = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => partnerTypeOrder(a) - partnerTypeOrder(b));
  if (entries.length === 0) return null;
  return (
    <SimpleGrid
      cols={{ base: 2, sm: 3, lg: 4 }}
      spacing="sm"
      mb="lg"
      component="ul"
      p={0}
      m={0}
      style={{ listStyle: 'none' }}
    >
      {entries.map(([type, n]) => (
        <Paper key={type} component="li" withBorder radius="md" p="sm">
          <Text fz={28} fw={600} lh={1.1}>
            {n}
          </Text>
          <Text size="sm" c="dimmed">
            {n === 1 ? partnerTypeLabel(type) : partnerTypePluralLabel(type)}
          </Text>
        </Paper>
      ))}
    </SimpleGrid>
  );
}

function PartnerTable({ partners }: { partners: NetworkPartner[] }) {
  const rows = [...partners].sort(byTypeThenName);
  return (
    <Table.ScrollContainer minWidth={460}>
      <Table striped highlightOnHover withTableBorder verticalSpacing="sm" tabularNums>
        <Table.Caption>{countLabel(rows.length, 'partner')} in the network</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Partner</Table.Th>
            <Table.Th scope="col">Type</Table.Th>
            <Table.Th scope="col">Country</Table.Th>
            <Table.Th scope="col" ta="right">
              Sites
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((partner) => (
            <Table.Tr key={partner.id}>
              <Table.Th scope="row" fw={500}>
                {partner.name}
              </Table.Th>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{partnerTypeLabel(partner.type)}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{countryName(partner.country)}</Table.Td>
              <Table.Td ta="right">{partner.siteCount}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The therapy network at a glance: how many partners of each kind, and who they are. */
export function OverviewPage() {
  const { state, reload } = useResource(fetchNetworkSummary);

  return (
    <>
      <PageHeader title={overviewScreen.title} purpose={overviewScreen.purpose} />
      <section aria-labelledby="network-heading">
        <Title order={2} fz="h4" id="network-heading" mb="sm">
          Network
        </Title>
        <ResourceView
          state={state}
          reload={reload}
          what="the network"
          empty={overviewScreen.empty}
          isEmpty={(summary) => summary.partners.length === 0}
        >
          {(summary) => (
            <>
              <PartnerCounts counts={summary.counts ?? {}} />
              <PartnerTable partners={summary.partners} />
            </>
          )}
        </ResourceView>
      </section>
    </>
  );
}
