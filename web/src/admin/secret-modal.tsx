import { Button, Group, Modal, Stack } from '@mantine/core';
import type { ReactNode } from 'react';

interface SecretModalProps {
  opened: boolean;
  title: string;
  onClose: () => void;
  /** The secret, shown once, and anything that identifies it. */
  children: ReactNode;
}

/** The step after creating something with a secret: show it, then Done. */
export function SecretModal({ opened, title, onClose, children }: SecretModalProps) {
  return (
    <Modal opened={opened} onClose={onClose} title={title} centered size="lg">
      <Stack gap="md">
        {children}
        <Group justify="flex-end">
          <Button onClick={onClose}>Done</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
