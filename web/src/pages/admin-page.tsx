import { Tabs } from '@mantine/core';
import type { ComponentType } from 'react';
import { Navigate, useNavigate, useParams } from 'react-router-dom';
import { ApiClientsTab } from '../admin/api-clients-tab.tsx';
import { JobsTab } from '../admin/jobs-tab.tsx';
import { OutboxTab } from '../admin/outbox-tab.tsx';
import { PartnersTab } from '../admin/partners-tab.tsx';
import { UsersTab } from '../admin/users-tab.tsx';
import { hasAnyPermission } from '../auth/auth-api.ts';
import { useSession } from '../auth/session-context.ts';
import { PageHeader } from '../page-header.tsx';
import { adminScreen } from '../screens.ts';

interface AdminTab {
  value: string;
  label: string;
  permissions: readonly string[];
  Panel: ComponentType;
}

const adminTabs: readonly AdminTab[] = [
  { value: 'partners', label: 'Partners', permissions: ['partners:manage'], Panel: PartnersTab },
  { value: 'users', label: 'Users', permissions: ['users:read', 'users:manage'], Panel: UsersTab },
  { value: 'api-clients', label: 'API clients', permissions: ['api-clients:manage'], Panel: ApiClientsTab },
  { value: 'jobs', label: 'Failed jobs', permissions: ['jobs:manage'], Panel: JobsTab },
  { value: 'outbox', label: 'Outbox', permissions: ['outbox:read'], Panel: OutboxTab },
];

/** Partners and sites, users, API clients, failed jobs and the outbox: one tab per permission held. */
export function AdminPage() {
  const { me } = useSession();
  const { tab } = useParams();
  const navigate = useNavigate();
  const tabs = me ? adminTabs.filter((candidate) => hasAnyPermission(me, candidate.permissions)) : [];
  const first = tabs[0];
  if (!first) return null;
  const current = tabs.find((candidate) => candidate.value === tab);
  if (!current) return <Navigate to={`${adminScreen.path}/${first.value}`} replace />;

  return (
    <>
      <PageHeader title={adminScreen.title} purpose={adminScreen.purpose} />
      <Tabs
        value={current.value}
        onChange={(value) => {
          if (value) navigate(`${adminScreen.path}/${value}`);
        }}
        keepMounted={false}
      >
        <Tabs.List mb="lg" aria-label="Administration sections">
          {tabs.map((candidate) => (
            <Tabs.Tab key={candidate.value} value={candidate.value}>
              {candidate.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {tabs.map((candidate) => (
          <Tabs.Panel key={candidate.value} value={candidate.value}>
            <candidate.Panel />
          </Tabs.Panel>
        ))}
      </Tabs>
    </>
  );
}
