import { Alert } from '@mantine/core';

interface DoneNoticeProps {
  /** What the last change did; nothing is shown while this is null. */
  message: string | null;
  onClose: () => void;
}

/** Confirms a finished change above the list it changed, until it is dismissed or replaced. */
export function DoneNotice({ message, onClose }: DoneNoticeProps) {
  if (!message) return null;
  return (
    <Alert color="teal" variant="light" mb="md" role="status" withCloseButton onClose={onClose}>
      {message}
    </Alert>
  );
}
