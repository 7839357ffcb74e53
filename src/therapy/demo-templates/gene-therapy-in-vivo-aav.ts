import type { TherapyTemplateInput } from '../template-schema.ts';
import { patientIneligible, temperatureExcursion, withdrawalOrDeath } from './template-parts.ts';

/** In-vivo AAV gene therapy: no per-patient manufacturing, a dose is allocated from stock. */
export const inVivoAavTemplate: TherapyTemplateInput = {
  therapyType: 'gene_therapy_in_vivo',
  code: 'gene-therapy-in-vivo-aav',
  version: 1,
  title: 'In-vivo AAV gene therapy',
  stages: [
    {
      key: 'intake',
      title: 'Referral and eligibility',
      steps: [
        {
          key: 'referral',
          title: 'Referral',
          partnerType: 'treatment_centre',
          role: 'centre_coordinator',
          tasks: [
            {
              key: 'submit_referral',
              title: 'Submit the referral',
              fields: [
                {
                  key: 'diagnosis',
                  label: 'Diagnosis',
                  type: 'choice',
                  options: ['sma', 'haemophilia_a', 'haemophilia_b'],
                },
              ],
            },
          ],
        },
        {
          key: 'antibody_screening',
          title: 'Anti-AAV antibody screening',
          partnerType: 'laboratory',
          role: 'lab',
          tasks: [
            {
              key: 'titre',
              title: 'Measure total anti-AAV antibody titre',
              fields: [
                {
                  key: 'anti_aav_titre',
                  label: 'Anti-AAV titre',
                  type: 'number',
                  unit: 'titre (1:x)',
                  min: 0,
                },
                { key: 'sample_id', label: 'Sample', type: 'identifier', pattern: '^S[0-9]{8}$' },
              ],
            },
          ],
          due: { after: 'P7D', escalations: [{ toRole: 'case_manager', after: 'P2D' }] },
          exceptions: [patientIneligible(['lab', 'case_manager'])],
        },
        {
          key: 'enrolment',
          title: 'Consent and benefits verification',
          partnerType: 'sponsor',
          role: 'program_coordinator',
          tasks: [
            {
              key: 'consent',
              title: 'Consent',
              fields: [{ key: 'consent_signed', label: 'Consent signed', type: 'boolean' }],
            },
            {
              key: 'benefits_verification',
              title: 'Benefits verification',
              fields: [
                {
                  key: 'coverage_status',
                  label: 'Coverage',
                  type: 'choice',
                  options: ['approved', 'denied'],
                },
              ],
            },
          ],
          gates: { approvals: [{ role: 'case_manager', count: 1 }] },
          exceptions: [
            patientIneligible(['program_coordinator', 'case_manager']),
            ...withdrawalOrDeath(['case_manager']),
          ],
        },
      ],
    },
    {
      key: 'supply',
      title: 'Dose allocation and shipment',
      steps: [
        {
          key: 'dose_allocation',
          title: 'Allocate a weight-based dose from stock',
          partnerType: 'sponsor',
          role: 'program_coordinator',
          tasks: [
            {
              key: 'allocate',
              title: 'Allocate vials',
              fields: [
                { key: 'body_weight', label: 'Body weight', type: 'number', unit: 'kg', min: 2, max: 200 },
                { key: 'dose_vg_per_kg', label: 'Dose', type: 'number', unit: 'vg/kg', min: 0 },
                { key: 'kit_number', label: 'Kit', type: 'identifier', pattern: '^KIT-[0-9]{6}$' },
              ],
            },
          ],
          leadTimes: [{ toStep: 'infusion', min: 2, max: 14, unit: 'days' }],
          gates: { approvals: [{ role: 'qa', count: 1, partnerType: 'sponsor' }] },
        },
        {
          key: 'ship_to_site',
          title: 'Ship frozen (≤ −60 °C)',
          partnerType: 'courier',
          role: 'courier',
          tasks: [
            {
              key: 'deliver',
              title: 'Deliver',
              fields: [{ key: 'delivered_at', label: 'Delivered at', type: 'datetime' }],
            },
          ],
          gates: { custodyComplete: true },
          exceptions: [temperatureExcursion(['courier', 'case_manager'], null, 'dose_allocation')],
        },
        {
          key: 'receipt_storage',
          title: 'Receipt in the pharmacy',
          partnerType: 'treatment_centre',
          role: 'infusion_nurse',
          tasks: [
            {
              key: 'receive',
              title: 'Receive',
              fields: [{ key: 'received_at', label: 'Received at', type: 'datetime' }],
            },
          ],
          gates: {
            custodyComplete: true,
            signatures: {
              count: 1,
              mode: 'parallel',
              signerRoles: ['infusion_nurse'],
              meaning: 'Receipt of the product',
            },
          },
        },
      ],
    },
    {
      key: 'treatment',
      title: 'Treatment',
      steps: [
        {
          key: 'infusion',
          title: 'Prepare and infuse (with prophylactic corticosteroids)',
          partnerType: 'treatment_centre',
          role: 'infusion_nurse',
          tasks: [
            {
              key: 'infuse',
              title: 'Infuse',
              fields: [
                { key: 'infused_at', label: 'Infused at', type: 'datetime' },
                { key: 'volume_infused', label: 'Volume', type: 'number', unit: 'mL', min: 0, max: 1000 },
              ],
            },
          ],
        },
        {
          key: 'liver_monitoring',
          title: 'Weekly liver function monitoring (3 months)',
          partnerType: 'laboratory',
          role: 'lab',
          tasks: [
            {
              key: 'liver_panel',
              title: 'Liver panel',
              fields: [{ key: 'alt', label: 'ALT', type: 'number', unit: 'U/L', min: 0 }],
            },
          ],
          due: { after: 'P90D' },
          exceptions: withdrawalOrDeath(['lab', 'case_manager']),
        },
        {
          key: 'long_term_follow_up',
          title: 'Long-term follow-up (15 years)',
          partnerType: 'treatment_centre',
          role: 'provider',
          tasks: [
            {
              key: 'ltfu_enrolment',
              title: 'Enrol in LTFU',
              fields: [{ key: 'enrolled_on', label: 'Enrolled on', type: 'date' }],
            },
          ],
          exceptions: withdrawalOrDeath(['provider', 'case_manager']),
        },
      ],
    },
  ],
  overrides: [
    {
      key: 'us_receipt_no_signature',
      priority: 2,
      scope: { country: 'US', step: 'receipt_storage' },
      set: { signatureCount: 0 },
    },
  ],
};
