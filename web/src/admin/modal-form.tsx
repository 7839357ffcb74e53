import { Button, Group, Modal, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import type { ProblemDetail } from '../api-client.ts';
import { ProblemAlert } from '../problem-alert.tsx';

interface ModalFormProps {
  opened: boolean;
  title: string;
  onClose: () => void;
  /** Called on submit; the browser's own validation and page load are already prevented. */
  onSubmit: () => void;
  /** Shown above the problem and the fields: what the change does, or whom it is for. */
  intro?: ReactNode;
  /** The server's problem that belongs to no field. */
  alert: ProblemDetail | null;
  /** What submitting does, for the problem's message, e.g. "add the site". */
  action: string;
  submitLabel: string;
  busy: boolean;
  danger?: boolean;
  children: ReactNode;
}

/** An administration form in a modal: problem, fields, then Cancel and the submit button. */
export function ModalForm({
  opened,
  title,
  onClose,
  onSubmit,
  intro,
  alert,
  action,
  submitLabel,
  busy,
  danger = false,
  children,
}: ModalFormProps) {
  return (
    <Modal opened={opened} onClose={onClose} title={title} centered size="lg">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit();
        }}
        noValidate
      >
        <Stack gap="md">
          {intro}
          {alert ? <ProblemAlert problem={alert} action={action} /> : null}
          {children}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color={danger ? 'red' : undefined} loading={busy}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
