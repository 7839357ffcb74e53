import { Select, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { ModalForm } from '../admin/modal-form.tsx';
import { localInputToIso } from '../date-time.ts';
import { useFormSubmit } from '../use-form-submit.ts';
import { type CustodyItem, type CustodyItemType, createItem, type RecordedItem } from './custody-api.ts';
import { displayIsbt, itemTypeLabel } from './custody-labels.ts';

const TYPES: CustodyItemType[] = ['apheresis_bag', 'sample', 'final_product_bag', 'shipper'];
const FIELDS = ['itemType', 'din', 'lot', 'expiresAt', 'parentItemId'] as const;

interface RecordUnitModalProps {
  opened: boolean;
  caseId: string;
  items: CustodyItem[];
  onClose: () => void;
  onRecorded: (item: RecordedItem) => void;
}

/**
 * Records a physical unit in your custody: the apheresis bag with its DIN (which assigns the
 * chain of identity), a sample, a final product bag of a batch, or a shipper.
 */
export function RecordUnitModal({ opened, caseId, items, onClose, onRecorded }: RecordUnitModalProps) {
  const [itemType, setItemType] = useState<CustodyItemType>('apheresis_bag');
  const [din, setDin] = useState('');
  const [lot, setLot] = useState('');
  const [expiresAt, setExpiresAt] = useState('');
  const [parentItemId, setParentItemId] = useState<string | null>(null);
  const { errors, alert, busy, submit, reset } = useFormSubmit(FIELDS);

  const close = () => {
    setDin('');
    setLot('');
    setExpiresAt('');
    setParentItemId(null);
    reset();
    onClose();
  };

  return (
    <ModalForm
      opened={opened}
      onClose={close}
      title="Record a unit"
      action="record the unit"
      submitLabel="Record unit"
      busy={busy}
      alert={alert}
      intro={
        <Text size="sm" c="dimmed">
          The unit is recorded in your organisation's custody, under this case's chain of identity.
        </Text>
      }
      onSubmit={() =>
        void submit(
          expiresAt && !localInputToIso(expiresAt) ? { expiresAt: 'Give a valid date and time' } : {},
          async () => {
            const expires = localInputToIso(expiresAt);
            const item = await createItem(caseId, {
              itemType,
              ...(din.trim() ? { din: din.trim() } : {}),
              ...(lot.trim() ? { lot: lot.trim() } : {}),
              ...(expires ? { expiresAt: expires } : {}),
              ...(parentItemId ? { parentItemId } : {}),
            });
            close();
            onRecorded(item);
          },
        )
      }
    >
      <Select
        label="Kind of unit"
        size="md"
        required
        allowDeselect={false}
        data={TYPES.map((t) => ({ value: t, label: itemTypeLabel(t) }))}
        value={itemType}
        onChange={(value) => setItemType((value as CustodyItemType | null) ?? 'apheresis_bag')}
        error={errors.itemType}
      />
      {itemType === 'apheresis_bag' ? (
        <TextInput
          label="Donation identification number (DIN)"
          description="Scan the ISBT 128 DIN bar code or type it with its check character."
          size="md"
          autoComplete="off"
          spellCheck={false}
          value={din}
          onChange={(event) => setDin(event.currentTarget.value)}
          error={errors.din}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
      ) : null}
      {itemType === 'final_product_bag' || itemType === 'shipper' || itemType === 'sample' ? (
        <TextInput
          label={itemType === 'shipper' ? 'Shipper id' : 'Lot (batch)'}
          size="md"
          required={itemType === 'final_product_bag'}
          value={lot}
          onChange={(event) => setLot(event.currentTarget.value)}
          error={errors.lot}
        />
      ) : null}
      {itemType === 'final_product_bag' ? (
        <TextInput
          type="datetime-local"
          label="Expires"
          size="md"
          required
          value={expiresAt}
          onChange={(event) => setExpiresAt(event.currentTarget.value)}
          error={errors.expiresAt}
        />
      ) : null}
      {items.length > 0 && itemType !== 'apheresis_bag' ? (
        <Select
          label="Made from"
          size="md"
          clearable
          data={items.map((i) => ({
            value: i.id,
            label: `${itemTypeLabel(i.itemType)} ${displayIsbt(i.unitCode)}`,
          }))}
          value={parentItemId}
          onChange={setParentItemId}
          error={errors.parentItemId}
        />
      ) : null}
    </ModalForm>
  );
}
