import { Checkbox, SimpleGrid, Text } from '@mantine/core';
import { partnerTypeLabel } from '../partner-types.ts';
import { roleLabel, rolesForPartnerType } from '../roles.ts';

interface RoleCheckboxesProps {
  /** The type of the user's partner: only roles valid for it are offered. */
  partnerType: string | null;
  value: string[];
  onChange: (roles: string[]) => void;
  error?: string;
}

/** Role checkboxes limited to what users of this kind of partner may hold. */
export function RoleCheckboxes({ partnerType, value, onChange, error }: RoleCheckboxesProps) {
  if (!partnerType) {
    return (
      <Checkbox.Group
        label="Roles"
        description="Choose the partner first: it decides which roles are possible."
      >
        <Text size="sm" c="dimmed" mt={4}>
          No partner chosen.
        </Text>
      </Checkbox.Group>
    );
  }
  const allowed: string[] = rolesForPartnerType(partnerType);
  // Roles the user already holds but the partner type no longer allows stay visible, so they can be removed.
  const offered = [...allowed, ...value.filter((role) => !allowed.includes(role))];
  return (
    <Checkbox.Group
      label="Roles"
      description={
        allowed.length === 0
          ? `Users of a ${partnerTypeLabel(partnerType).toLowerCase()} cannot hold any role yet.`
          : `Roles a user of a ${partnerTypeLabel(partnerType).toLowerCase()} can hold.`
      }
      value={value}
      onChange={onChange}
      error={error}
      required
    >
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs" verticalSpacing="xs" mt="xs">
        {offered.map((role) => (
          <Checkbox
            key={role}
            value={role}
            label={roleLabel(role)}
            description={allowed.includes(role) ? undefined : 'Not valid for this partner type'}
          />
        ))}
      </SimpleGrid>
    </Checkbox.Group>
  );
}
