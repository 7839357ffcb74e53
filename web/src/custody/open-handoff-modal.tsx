import { Checkbox, Select, Stack, Text } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { ModalForm } from '../admin/modal-form.tsx';
import { fetchCase, type OpenStep } from '../cases/cases-api.ts';
import type { NetworkPartner } from '../network-summary.ts';
import { partnerTypeLabel } from '../partner-types.ts';
import { useFormSubmit } from '../use-form-submit.ts';
import { type CustodyItem, fetchShippers, type Handoff, openHandoff, type Shipper } from './custody-api.ts';
import { itemTypeLabel } from './custody-labels.ts';

interface OpenHandoffModalProps {
  opened: boolean;
  caseId: string;
  items: CustodyItem[];
  partners: Map<string, NetworkPartner>;
  onClose: () => void;
  onOpened: (handoff: Handoff) => void;
}

const FIELDS = ['itemIds', 'toPartnerId', 'step', 'shipperCode', 'sealIntact'] as const;

/** Starts a hand-off: which units, to whom, on which step of the case (its signatures come from there). */
export function OpenHandoffModal({
  opened,
  caseId,
  items,
  partners,
  onClose,
  onOpened,
}: OpenHandoffModalProps) {
  const movable = items.filter((i) => i.status !== 'infused' && i.status !== 'discarded');
  const [chosen, setChosen] = useState<string[]>([]);
  const [toPartnerId, setToPartnerId] = useState<string | null>(null);
  const [step, setStep] = useState<string | null>(null);
  const [shipperCode, setShipperCode] = useState<string | null>(null);
  const [sealIntact, setSealIntact] = useState(false);
  const [steps, setSteps] = useState<OpenStep[]>([]);
  const [shippers, setShippers] = useState<Shipper[]>([]);
  const { errors, alert, busy, submit, reset } = useFormSubmit(FIELDS);

  useEffect(() => {
    if (!opened) return;
    const controller = new AbortController();
    fetchCase(caseId, controller.signal).then(
      (detail) => setSteps(detail.openSteps.filter((s) => s.waitingFor.custody)),
      () => setSteps([]),
    );
    fetchShippers(controller.signal).then(setShippers, () => setShippers([]));
    return () => controller.abort();
  }, [opened, caseId]);

  const custodian = movable.find((i) => chosen.includes(i.id))?.custodian.partnerId;
  const partnerOptions = useMemo(
    () =>
      [...partners.values()]
        .filter((p) => p.id !== custodian)
        .map((p) => ({ value: p.id, label: `${p.name} (${partnerTypeLabel(p.type)})` })),
    [partners, custodian],
  );

  const close = () => {
    setChosen([]);
    setToPartnerId(null);
    setStep(null);
    setShipperCode(null);
    setSealIntact(false);
    reset();
    onClose();
  };

  return (
    <ModalForm
      opened={opened}
      onClose={close}
      title="Start a hand-off"
      action="start the hand-off"
      submitLabel="Start hand-off"
      busy={busy}
      alert={alert}
      intro={
        <Text size="sm" c="dimmed">
          The receiving side then scans every unit, records the condition and signs where the step asks for
          it.
        </Text>
      }
      onSubmit={() =>
        void submit(
          {
            ...(chosen.length === 0 ? { itemIds: 'Choose the units you hand over' } : {}),
            ...(toPartnerId ? {} : { toPartnerId: 'Choose who receives the units' }),
          },
          async () => {
            const handoff = await openHandoff({
              caseId,
              itemIds: chosen,
              toPartnerId: toPartnerId as string,
              ...(step ? { step } : {}),
              ...(shipperCode ? { shipperCode } : {}),
              ...(sealIntact ? { sealIntact } : {}),
            });
            close();
            onOpened(handoff);
          },
        )
      }
    >
      <Checkbox.Group label="Units" value={chosen} onChange={setChosen} error={errors.itemIds} required>
        <Stack gap="xs" mt="xs">
          {movable.map((item) => (
            <Checkbox
              key={item.id}
              value={item.id}
              size="md"
              label={`${itemTypeLabel(item.itemType)} ${item.unitCode} (with ${item.custodian.partnerName})`}
              disabled={custodian !== undefined && item.custodian.partnerId !== custodian}
            />
          ))}
        </Stack>
      </Checkbox.Group>
      <Select
        label="Receiving organisation"
        data={partnerOptions}
        value={toPartnerId}
        onChange={setToPartnerId}
        searchable
        required
        error={errors.toPartnerId}
        size="md"
      />
      <Select
        label="Step of the case"
        description="The step whose custody this hand-off confirms; its signatures are required."
        data={steps.map((s) => ({ value: s.key, label: s.title }))}
        value={step}
        onChange={setStep}
        clearable
        placeholder={steps.length === 0 ? 'No open step waits for custody' : 'Choose a step'}
        error={errors.step}
        size="md"
      />
      <Select
        label="Shipper"
        data={shippers.map((s) => ({
          value: s.code,
          label: `${s.code} · ${s.description} (${s.qualification === 'qualified' ? `qualified until ${s.qualifiedUntil}` : s.qualification})`,
        }))}
        value={shipperCode}
        onChange={setShipperCode}
        clearable
        error={errors.shipperCode}
        size="md"
      />
      <Checkbox
        label="The shipper's seal is intact"
        checked={sealIntact}
        onChange={(event) => setSealIntact(event.currentTarget.checked)}
        size="md"
      />
    </ModalForm>
  );
}
