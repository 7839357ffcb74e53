import { Avatar, Box, Button, Group, Menu, Modal, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { type ProblemDetail, problemOf } from '../api-client.ts';
import { ChevronDownIcon } from '../icons.tsx';
import { partnerTypeLabel } from '../partner-types.ts';
import { ProblemAlert } from '../problem-alert.tsx';
import type { Me } from './auth-api.ts';
import { useSession } from './session-context.ts';
import { SignOutEverywhereModal } from './sign-out-everywhere-modal.tsx';

function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return letters.map((word) => word?.charAt(0).toUpperCase() ?? '').join('') || '?';
}

function MenuTarget({ me }: { me: Me }) {
  return (
    <Group gap="xs" wrap="nowrap">
      <Avatar color="teal" radius="xl" size={32} aria-hidden="true">
        {initials(me.displayName)}
      </Avatar>
      <Box visibleFrom="sm" maw={200} style={{ textAlign: 'left' }}>
        <Text size="sm" fw={600} truncate="end" lh={1.25}>
          {me.displayName}
        </Text>
        <Text size="xs" c="dimmed" truncate="end" lh={1.25}>
          {me.partner.name}
        </Text>
      </Box>
      <Box visibleFrom="sm" lh={0}>
        <ChevronDownIcon size={16} />
      </Box>
    </Group>
  );
}

/** The signed-in user's name and organisation, opening a menu: profile, sign out, sign out everywhere. */
export function UserMenu({ me }: { me: Me }) {
  const { signOut } = useSession();
  const [everywhereOpened, everywhere] = useDisclosure(false);
  const [problem, setProblem] = useState<ProblemDetail | null>(null);

  const handleSignOut = async () => {
    try {
      await signOut();
    } catch (error) {
      setProblem(problemOf(error));
    }
  };

  return (
    <>
      <Menu position="bottom-end" width={260} withinPortal>
        <Menu.Target>
          <UnstyledButton
            aria-label={`Account: ${me.displayName}, ${me.partner.name}`}
            px={{ base: 0, sm: 6 }}
            py={4}
            style={{ borderRadius: 'var(--mantine-radius-md)' }}
          >
            <MenuTarget me={me} />
          </UnstyledButton>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>
            <Text size="sm" fw={600} c="var(--mantine-color-text)" truncate="end">
              {me.displayName}
            </Text>
            <Text size="xs" c="dimmed" truncate="end">
              {me.partner.name} · {partnerTypeLabel(me.partner.type)}
            </Text>
          </Menu.Label>
          <Menu.Divider />
          <Menu.Item component={Link} to="/profile">
            Profile
          </Menu.Item>
          <Menu.Item onClick={() => void handleSignOut()}>Sign out</Menu.Item>
          <Menu.Item onClick={everywhere.open}>Sign out everywhere…</Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <SignOutEverywhereModal opened={everywhereOpened} onClose={everywhere.close} />
      <Modal
        opened={problem !== null}
        onClose={() => setProblem(null)}
        title="You are still signed in"
        centered
      >
        {problem ? <ProblemAlert problem={problem} action="sign you out" /> : null}
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => setProblem(null)}>
            Close
          </Button>
        </Group>
      </Modal>
    </>
  );
}
