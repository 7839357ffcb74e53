import { Badge, Box, Button, DataList, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { useSession } from '../auth/session-context.ts';
import { SignOutEverywhereModal } from '../auth/sign-out-everywhere-modal.tsx';
import { PageHeader } from '../page-header.tsx';
import { partnerTypeLabel } from '../partner-types.ts';
import { ChangePasswordForm } from '../profile/change-password-form.tsx';
import { SecondFactorPanel } from '../profile/second-factor-panel.tsx';
import { roleLabel } from '../roles.ts';
import { profileScreen } from '../screens.ts';

function ProfileSection({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Paper component="section" aria-labelledby={id} withBorder radius="md" p={{ base: 'md', sm: 'lg' }}>
      <Title order={2} fz="h4" id={id} mb="md">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

/** The signed-in user's own account. */
export function ProfilePage() {
  const { me } = useSession();
  const [everywhereOpened, everywhere] = useDisclosure(false);
  if (!me) return null;

  return (
    <>
      <PageHeader title={profileScreen.title} purpose={profileScreen.purpose} />
      <Stack gap="lg" maw={880}>
        <ProfileSection id="profile-details" title="Your details">
          <DataList labelWidth="9rem" withDivider>
            <DataList.Item>
              <DataList.ItemLabel>Name</DataList.ItemLabel>
              <DataList.ItemValue>{me.displayName}</DataList.ItemValue>
            </DataList.Item>
            <DataList.Item>
              <DataList.ItemLabel>Email</DataList.ItemLabel>
              <DataList.ItemValue>{me.email}</DataList.ItemValue>
            </DataList.Item>
            <DataList.Item>
              <DataList.ItemLabel>Organisation</DataList.ItemLabel>
              <DataList.ItemValue>
                {me.partner.name}{' '}
                <Text component="span" c="dimmed" size="sm">
                  ({partnerTypeLabel(me.partner.type)})
                </Text>
              </DataList.ItemValue>
            </DataList.Item>
            <DataList.Item>
              <DataList.ItemLabel>Roles</DataList.ItemLabel>
              <DataList.ItemValue>
                {me.roles.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    No roles yet
                  </Text>
                ) : (
                  <Group gap={6} component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
                    {me.roles.map((role) => (
                      <Badge key={role} component="li" variant="light" color="gray" tt="none" fw={500}>
                        {roleLabel(role)}
                      </Badge>
                    ))}
                  </Group>
                )}
              </DataList.ItemValue>
            </DataList.Item>
          </DataList>
          <Text size="xs" c="dimmed" mt="md">
            Your name, organisation and roles are set by an administrator of your organisation.
          </Text>
        </ProfileSection>
        <ProfileSection id="profile-password" title="Password">
          <ChangePasswordForm />
        </ProfileSection>
        <ProfileSection id="profile-second-factor" title="Second factor">
          <SecondFactorPanel me={me} />
        </ProfileSection>
        <ProfileSection id="profile-sessions" title="Sessions">
          <Text size="sm" mb="md" maw={640}>
            Signed in on a computer you no longer use, or worried someone else is using your account? End
            every session at once, including this one.
          </Text>
          <Box>
            <Button variant="default" color="red" onClick={everywhere.open}>
              Sign out everywhere
            </Button>
          </Box>
        </ProfileSection>
      </Stack>
      <SignOutEverywhereModal opened={everywhereOpened} onClose={everywhere.close} />
    </>
  );
}
