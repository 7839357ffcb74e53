import { Text } from '@mantine/core';
import { useState } from 'react';
import { ModalForm } from '../admin/modal-form.tsx';
import type { FieldErrors } from '../form-problem.ts';
import type { FieldDefinition } from '../therapy/therapy-api.ts';
import { useFormSubmit } from '../use-form-submit.ts';
import { type CaseDetail, completeTask } from './cases-api.ts';
import { type DraftValue, FieldInput, valueToSend } from './field-input.tsx';

export interface TaskToComplete {
  caseId: string;
  step: { key: string; title: string };
  task: { key: string; title: string };
  fields: FieldDefinition[];
}

interface TaskFormModalProps {
  work: TaskToComplete | null;
  onClose: () => void;
  onCompleted: (detail: CaseDetail, taskTitle: string) => void;
}

/** Completes one task: a typed input per field of the task; the server's field errors show on the fields. */
export function TaskFormModal({ work, onClose, onCompleted }: TaskFormModalProps) {
  // A new task starts from a blank form.
  return work ? (
    <TaskForm
      key={`${work.step.key}-${work.task.key}`}
      work={work}
      onClose={onClose}
      onCompleted={onCompleted}
    />
  ) : null;
}

function TaskForm({ work, onClose, onCompleted }: TaskFormModalProps & { work: TaskToComplete }) {
  const [values, setValues] = useState<Record<string, DraftValue>>({});
  const names = work.fields.map((field) => `fields.${field.key}`);
  const form = useFormSubmit(names);

  const submit = () => {
    const missing: FieldErrors = {};
    const payload: Record<string, unknown> = {};
    for (const field of work.fields) {
      const value = valueToSend(field, values[field.key]);
      if (value === undefined) {
        if (field.required !== false) missing[`fields.${field.key}`] = 'Is required';
      } else payload[field.key] = value;
    }
    void form.submit(missing, async () => {
      const detail = await completeTask(work.caseId, work.step.key, work.task.key, payload);
      onCompleted(detail, work.task.title);
    });
  };

  return (
    <ModalForm
      opened
      title={work.task.title}
      onClose={onClose}
      onSubmit={submit}
      intro={
        <Text size="sm" c="dimmed">
          {work.step.title}.{' '}
          {work.fields.length > 0
            ? 'Fields marked * are required. What you record is kept in the case record and the audit trail.'
            : 'This task records no values: completing it says it is done.'}
        </Text>
      }
      alert={form.alert}
      action="complete the task"
      submitLabel="Complete task"
      busy={form.busy}
    >
      {work.fields.map((field) => (
        <FieldInput
          key={field.key}
          field={field}
          value={values[field.key]}
          onChange={(value) => setValues((current) => ({ ...current, [field.key]: value }))}
          error={form.errors[`fields.${field.key}`]}
          required={field.required !== false}
        />
      ))}
    </ModalForm>
  );
}
