/**
 * What a label shows. The caller (custody routes) decides what may be printed: patient initials and
 * date of birth are PHI and appear only when the caller passes them.
 */
export type LabelPatient = { initials: string; dateOfBirth: string };

export type LabelFacility = { id: string; name: string };

type LabelCommon = {
  /** Compact chain of identity, e.g. "W999926000123K". */
  chainOfIdentity: string;
  /** Compact DIN with its check character, when the unit has one. */
  donationNumber?: string | undefined;
  storageCondition: string;
  facility: LabelFacility;
  /** IANA zone of the printing site; times are printed site-local with the UTC offset. */
  timeZone?: string | undefined;
  patient?: LabelPatient | undefined;
  /** 0 or absent: the original print; n: the n-th reprint, marked "REPRINT n". */
  reprint?: number | undefined;
  printedAt: Date | string;
};

export type BagLabel = LabelCommon & {
  /** E.g. "Apheresis collection (leukapheresis)", "CAR-T cells, final product". */
  productType: string;
  /** Unit or bag number, e.g. "1 of 2", or the lot for a manufactured product. */
  unitNumber: string;
  collectedAt?: Date | string | undefined;
  expiresAt?: Date | string | undefined;
  volume?: string | undefined;
};

export type LabelAddress = { name: string; lines?: string[] | undefined };

export type ShipperLabel = LabelCommon & {
  shipperId: string;
  /** E.g. "Qualified until 2027-03-01". */
  shipperQualification?: string | undefined;
  contents: string;
  from: LabelAddress;
  to: LabelAddress;
  shippedAt?: Date | string | undefined;
  dataLoggerId?: string | undefined;
};
