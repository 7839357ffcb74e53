import { Textarea } from '@mantine/core';

interface ReasonFieldProps {
  value: string;
  onChange: (value: string) => void;
  error?: string;
}

/** Why a change is made: required for every change, and kept with it in the audit trail. */
export function ReasonField({ value, onChange, error }: ReasonFieldProps) {
  return (
    <Textarea
      label="Reason"
      description="Recorded in the audit trail with your name and the time."
      name="reason"
      required
      autosize
      minRows={2}
      maxRows={6}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      error={error}
    />
  );
}
