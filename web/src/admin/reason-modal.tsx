import { type ReactNode, useState } from 'react';
import { type ProblemDetail, problemOf } from '../api-client.ts';
import { splitProblem } from '../form-problem.ts';
import { ModalForm } from './modal-form.tsx';
import { ReasonField } from './reason-field.tsx';

interface ReasonModalProps {
  opened: boolean;
  title: string;
  /** What will happen, in plain words. */
  children: ReactNode;
  confirmLabel: string;
  /** What is being done, for error messages, e.g. "unlock the account". */
  action: string;
  danger?: boolean;
  /** Performs the change; reject to keep the modal open with the error. */
  onConfirm: (reason: string) => Promise<void>;
  onClose: () => void;
}

/** Confirms a change and asks why it is made; the reason goes to the audit trail. */
export function ReasonModal({
  opened,
  title,
  children,
  confirmLabel,
  action,
  danger = false,
  onConfirm,
  onClose,
}: ReasonModalProps) {
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemDetail | null>(null);
  const { fieldErrors, alert } = splitProblem(problem, ['reason']);

  const close = () => {
    setReason('');
    setMissing(false);
    setProblem(null);
    setBusy(false);
    onClose();
  };

  const submit = async () => {
    if (!reason.trim()) {
      setMissing(true);
      return;
    }
    setMissing(false);
    setBusy(true);
    setProblem(null);
    try {
      await onConfirm(reason.trim());
      setReason('');
      setBusy(false);
    } catch (error) {
      setProblem(problemOf(error));
      setBusy(false);
    }
  };

  return (
    <ModalForm
      opened={opened}
      onClose={close}
      title={title}
      onSubmit={() => void submit()}
      intro={children}
      alert={alert}
      action={action}
      submitLabel={confirmLabel}
      busy={busy}
      danger={danger}
    >
      <ReasonField
        value={reason}
        onChange={setReason}
        error={missing ? 'Say why you are making this change.' : fieldErrors.reason}
      />
    </ModalForm>
  );
}
