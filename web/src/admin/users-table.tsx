import { ActionIcon, Badge, Box, Menu, Table, Text } from '@mantine/core';
import { countLabel } from '../count-label.ts';
import { formatLocalDate, formatLocalDateTime, isFuture } from '../date-time.ts';
import { roleLabel } from '../roles.ts';
import type { AdminUser } from './admin-api.ts';

export type UserAction = 'edit' | 'reset-password' | 'unlock';

interface UsersTableProps {
  users: AdminUser[];
  /** Null when the signed-in user may only read. */
  onAction: ((user: AdminUser, action: UserAction) => void) | null;
}

function UserStatus({ user }: { user: AdminUser }) {
  if (!user.active) {
    return (
      <Badge color="gray" variant="light">
        Deactivated
      </Badge>
    );
  }
  if (user.lockedUntil && isFuture(user.lockedUntil)) {
    return (
      <>
        <Badge color="red" variant="light">
          Locked
        </Badge>
        <Text size="xs" c="dimmed" mt={2}>
          until {formatLocalDateTime(user.lockedUntil)}
        </Text>
      </>
    );
  }
  return (
    <Badge color="teal" variant="light">
      Active
    </Badge>
  );
}

function ActionsMenu({
  user,
  onAction,
}: {
  user: AdminUser;
  onAction: (u: AdminUser, a: UserAction) => void;
}) {
  const locked = Boolean(user.lockedUntil && isFuture(user.lockedUntil));
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon variant="default" aria-label={`Actions for ${user.displayName}`} size="lg">
          <Text component="span" fw={700} lh={1} aria-hidden="true">
            ⋯
          </Text>
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item onClick={() => onAction(user, 'edit')}>Edit name, roles or status…</Menu.Item>
        <Menu.Item onClick={() => onAction(user, 'reset-password')}>Reset password…</Menu.Item>
        {locked ? <Menu.Item onClick={() => onAction(user, 'unlock')}>Unlock…</Menu.Item> : null}
      </Menu.Dropdown>
    </Menu>
  );
}

/** The users, with their partner, roles, second factor and whether they can sign in. */
export function UsersTable({ users, onAction }: UsersTableProps) {
  const rows = [...users].sort((a, b) => a.displayName.localeCompare(b.displayName));
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table withTableBorder highlightOnHover verticalSpacing="sm">
        <Table.Caption>{countLabel(rows.length, 'user')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Name</Table.Th>
            <Table.Th scope="col">Partner</Table.Th>
            <Table.Th scope="col">Roles</Table.Th>
            <Table.Th scope="col">Second factor</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            <Table.Th scope="col">Created</Table.Th>
            {onAction ? (
              <Table.Th scope="col" ta="right">
                Actions
              </Table.Th>
            ) : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((user) => (
            <Table.Tr key={user.id}>
              <Table.Th scope="row" fw={500}>
                {user.displayName}
                <Text size="xs" c="dimmed" fw={400}>
                  {user.email}
                </Text>
              </Table.Th>
              <Table.Td>{user.partner.name}</Table.Td>
              <Table.Td>
                <Box component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
                  {user.roles.map((role) => (
                    <Text key={role} component="li" size="sm" style={{ whiteSpace: 'nowrap' }}>
                      {roleLabel(role)}
                    </Text>
                  ))}
                </Box>
              </Table.Td>
              <Table.Td>{user.secondFactorEnabled ? 'On' : 'Not set up'}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <UserStatus user={user} />
              </Table.Td>
              <Table.Td>
                <time dateTime={user.createdAt} style={{ whiteSpace: 'nowrap' }}>
                  {formatLocalDate(user.createdAt)}
                </time>
              </Table.Td>
              {onAction ? (
                <Table.Td ta="right">
                  <ActionsMenu user={user} onAction={onAction} />
                </Table.Td>
              ) : null}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
