import { Button, Table, Text, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { countLabel } from '../count-label.ts';
import { countryName } from '../country-name.ts';
import { ExpandableRow, ExpandColumnHeader } from '../expandable-row.tsx';
import { partnerTypeLabel, partnerTypeOrder } from '../partner-types.ts';
import { ResourceView } from '../resource-view.tsx';
import { siteKindLabel } from '../site-kinds.ts';
import { useResource } from '../use-resource.ts';
import { useToggleSet } from '../use-toggle-set.ts';
import { AddSiteModal } from './add-site-modal.tsx';
import { type AdminPartner, fetchAdminPartners } from './admin-api.ts';
import { CreatePartnerModal } from './create-partner-modal.tsx';
import { DoneNotice } from './done-notice.tsx';
import { TabIntro } from './tab-intro.tsx';

function SitesTable({ partner }: { partner: AdminPartner }) {
  if (partner.sites.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No sites yet. Add the places where this partner works with patients or products.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table withTableBorder verticalSpacing={6} fz="sm" bg="var(--mantine-color-body)">
        <Table.Caption>Sites of {partner.name}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Site</Table.Th>
            <Table.Th scope="col">Code</Table.Th>
            <Table.Th scope="col">Kind</Table.Th>
            <Table.Th scope="col">City</Table.Th>
            <Table.Th scope="col">Time zone</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {partner.sites.map((site) => (
            <Table.Tr key={site.id}>
              <Table.Th scope="row" fw={500}>
                {site.name}
              </Table.Th>
              <Table.Td ff="monospace">{site.code}</Table.Td>
              <Table.Td>{siteKindLabel(site.kind)}</Table.Td>
              <Table.Td>
                {site.city}, {countryName(site.country)}
              </Table.Td>
              <Table.Td>{site.timeZone}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function PartnersTable({
  partners,
  onAddSite,
}: {
  partners: AdminPartner[];
  onAddSite: (p: AdminPartner) => void;
}) {
  const { isOpen, toggle } = useToggleSet();
  const rows = [...partners].sort(
    (a, b) => partnerTypeOrder(a.type) - partnerTypeOrder(b.type) || a.name.localeCompare(b.name),
  );

  return (
    <Table.ScrollContainer minWidth={640}>
      <Table withTableBorder highlightOnHover verticalSpacing="sm" tabularNums>
        <Table.Caption>{countLabel(rows.length, 'partner')}; open a row to see its sites</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <ExpandColumnHeader label="Sites" />
            <Table.Th scope="col">Partner</Table.Th>
            <Table.Th scope="col">Code</Table.Th>
            <Table.Th scope="col">Type</Table.Th>
            <Table.Th scope="col">Country</Table.Th>
            <Table.Th scope="col" ta="right">
              Sites
            </Table.Th>
            <Table.Th scope="col">
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((partner) => {
            const open = isOpen(partner.id);
            const detailsId = `partner-sites-${partner.id}`;
            return (
              <ExpandableRow
                key={partner.id}
                open={open}
                onToggle={() => toggle(partner.id)}
                detailsId={detailsId}
                what={`sites of ${partner.name}`}
                colSpan={6}
                details={<SitesTable partner={partner} />}
              >
                <Table.Th scope="row" fw={500}>
                  {partner.name}
                </Table.Th>
                <Table.Td ff="monospace" fz="sm">
                  {partner.code}
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{partnerTypeLabel(partner.type)}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{countryName(partner.country)}</Table.Td>
                <Table.Td ta="right">{partner.sites.length}</Table.Td>
                <Table.Td ta="right">
                  <Button
                    variant="default"
                    size="xs"
                    onClick={() => onAddSite(partner)}
                    aria-label={`Add a site to ${partner.name}`}
                  >
                    Add site
                  </Button>
                </Table.Td>
              </ExpandableRow>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The organisations of the network and their sites. */
export function PartnersTab() {
  const { state, reload } = useResource(fetchAdminPartners);
  const [creating, setCreating] = useState(false);
  const [siteFor, setSiteFor] = useState<AdminPartner | null>(null);
  const [done, setDone] = useState<string | null>(null);

  return (
    <>
      <TabIntro action={<Button onClick={() => setCreating(true)}>Add partner</Button>}>
        Every user and API client belongs to one partner; the partner's type decides which roles its users can
        hold.
      </TabIntro>
      <DoneNotice message={done} onClose={() => setDone(null)} />
      <ResourceView
        state={state}
        reload={reload}
        what="the partners"
        empty={{
          title: 'No partners yet',
          description:
            'Add the sponsor first, then the hospitals, collection centres, plants and couriers it works with.',
        }}
      >
        {(partners) => <PartnersTable partners={partners} onAddSite={setSiteFor} />}
      </ResourceView>
      <CreatePartnerModal
        opened={creating}
        onClose={() => setCreating(false)}
        onCreated={(partner) => {
          setCreating(false);
          setDone(`${partner.name} was added.`);
          reload();
        }}
      />
      <AddSiteModal
        partner={siteFor}
        onClose={() => setSiteFor(null)}
        onAdded={(site) => {
          setDone(`${site.name} was added to ${siteFor?.name ?? 'the partner'}.`);
          setSiteFor(null);
          reload();
        }}
      />
    </>
  );
}
