import type { TherapyTemplateInput } from '../template-schema.ts';
import {
  outOfSpecification,
  patientIneligible,
  temperatureExcursion,
  withdrawalOrDeath,
} from './template-parts.ts';

type StepInput = TherapyTemplateInput['stages'][number]['steps'][number];

function dosingVisit(key: string, title: string, dueDays: number): StepInput {
  return {
    key,
    title,
    partnerType: 'treatment_centre',
    role: 'infusion_nurse',
    tasks: [
      {
        key: 'administer',
        title: 'Administer the vaccine',
        fields: [
          { key: 'administered_at', label: 'Administered at', type: 'datetime' },
          { key: 'dose', label: 'Dose', type: 'number', unit: 'µg', min: 0, max: 1000 },
          {
            key: 'site_of_injection',
            label: 'Site',
            type: 'choice',
            options: ['deltoid_left', 'deltoid_right', 'iv'],
          },
        ],
      },
    ],
    due: {
      after: { amount: dueDays, unit: 'days' },
      escalations: [{ toRole: 'case_manager', after: 'P2D' }],
    },
    exceptions: [
      patientIneligible(['infusion_nurse', 'case_manager']),
      ...withdrawalOrDeath(['infusion_nurse', 'case_manager']),
    ],
  };
}

/** Individualised neoantigen mRNA cancer vaccine: tumour and normal sequencing drive the design. */
export const mrnaPersonalisedVaccineTemplate: TherapyTemplateInput = {
  therapyType: 'mrna_personalised',
  code: 'mrna-personalised-vaccine',
  version: 1,
  title: 'Personalised neoantigen mRNA cancer vaccine',
  stages: [
    {
      key: 'intake',
      title: 'Referral and enrolment',
      steps: [
        {
          key: 'referral',
          title: 'Referral after resection',
          partnerType: 'treatment_centre',
          role: 'centre_coordinator',
          tasks: [
            {
              key: 'submit_referral',
              title: 'Submit the referral',
              fields: [
                {
                  key: 'tumour_type',
                  label: 'Tumour type',
                  type: 'choice',
                  options: ['melanoma', 'nsclc', 'pdac', 'crc'],
                },
              ],
            },
          ],
        },
        {
          key: 'enrolment',
          title: 'Consent (including genomic data) and eligibility',
          partnerType: 'sponsor',
          role: 'program_coordinator',
          tasks: [
            {
              key: 'consent',
              title: 'Consent',
              fields: [
                { key: 'consent_signed', label: 'Consent signed', type: 'boolean' },
                { key: 'genomic_consent', label: 'Consent to germline sequencing', type: 'boolean' },
              ],
            },
          ],
          next: ['tumour_biopsy', 'blood_draw'],
          exceptions: [
            patientIneligible(['program_coordinator', 'case_manager']),
            ...withdrawalOrDeath(['case_manager']),
          ],
        },
      ],
    },
    {
      key: 'sampling',
      title: 'Biopsy and sequencing',
      steps: [
        {
          key: 'tumour_biopsy',
          title: 'Tumour tissue (FFPE block from resection or fresh biopsy)',
          partnerType: 'treatment_centre',
          role: 'collection_staff',
          tasks: [
            {
              key: 'collect_tissue',
              title: 'Send tumour tissue',
              fields: [
                { key: 'specimen_id', label: 'Specimen', type: 'identifier', pattern: '^T[0-9]{8}$' },
                {
                  key: 'tumour_content',
                  label: 'Tumour content',
                  type: 'number',
                  unit: '%',
                  min: 0,
                  max: 100,
                },
              ],
            },
          ],
          next: ['sequencing'],
          gates: { custodyComplete: true },
        },
        {
          key: 'blood_draw',
          title: 'Normal blood sample for germline comparison',
          partnerType: 'treatment_centre',
          role: 'collection_staff',
          tasks: [
            {
              key: 'draw_blood',
              title: 'Draw and ship blood',
              fields: [{ key: 'specimen_id', label: 'Specimen', type: 'identifier', pattern: '^N[0-9]{8}$' }],
            },
          ],
          next: ['sequencing'],
          gates: { custodyComplete: true },
        },
        {
          key: 'sequencing',
          title: 'Tumour/normal exome and RNA sequencing',
          partnerType: 'laboratory',
          role: 'lab',
          join: 'all',
          tasks: [
            {
              key: 'sequence',
              title: 'Sequence and call variants',
              fields: [
                { key: 'mean_coverage', label: 'Mean tumour coverage', type: 'number', unit: 'x', min: 0 },
                {
                  key: 'somatic_variants',
                  label: 'Somatic variants',
                  type: 'number',
                  unit: 'variants',
                  min: 0,
                  integer: true,
                },
              ],
            },
          ],
          due: { after: 'P10D', escalations: [{ toRole: 'case_manager', after: 'P2D' }] },
        },
      ],
    },
    {
      key: 'design_and_manufacture',
      title: 'Design and manufacturing',
      steps: [
        {
          key: 'neoantigen_design',
          title: 'Neoantigen selection and construct design',
          partnerType: 'manufacturing_site',
          role: 'lab',
          tasks: [
            {
              key: 'design',
              title: 'Select neoantigens',
              fields: [
                {
                  key: 'neoantigen_count',
                  label: 'Neoantigens encoded',
                  type: 'number',
                  unit: 'neoantigens',
                  min: 1,
                  max: 34,
                  integer: true,
                },
                { key: 'design_id', label: 'Design', type: 'identifier', pattern: '^D[0-9]{6}$' },
              ],
            },
          ],
          gates: { approvals: [{ role: 'qa', count: 1 }] },
          due: { after: 'P5D' },
        },
        {
          key: 'manufacturing',
          title: 'mRNA synthesis and LNP formulation',
          partnerType: 'manufacturing_site',
          role: 'manufacturing',
          tasks: [
            {
              key: 'manufacture',
              title: 'Manufacture',
              fields: [{ key: 'batch_number', label: 'Batch', type: 'identifier', pattern: '^M[0-9]{6}$' }],
            },
          ],
          due: { after: 'P21D' },
        },
        {
          key: 'release',
          title: 'QC and QA release',
          partnerType: 'manufacturing_site',
          role: 'qa',
          tasks: [
            {
              key: 'qc_results',
              title: 'QC results',
              role: 'lab',
              fields: [
                {
                  key: 'mrna_integrity',
                  label: 'mRNA integrity',
                  type: 'number',
                  unit: '%',
                  min: 0,
                  max: 100,
                },
                {
                  key: 'encapsulation',
                  label: 'Encapsulation efficiency',
                  type: 'number',
                  unit: '%',
                  min: 0,
                  max: 100,
                },
              ],
            },
          ],
          gates: {
            signatures: {
              count: 1,
              mode: 'sequential',
              signerRoles: ['qa'],
              meaning: 'Release of the batch',
            },
          },
          exceptions: [outOfSpecification(['lab', 'qa'], 'manufacturing', 'tumour_biopsy')],
        },
        {
          key: 'ship_to_site',
          title: 'Ship frozen to the treatment centre',
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
          exceptions: [temperatureExcursion(['courier', 'case_manager'], 'manufacturing', 'tumour_biopsy')],
        },
      ],
    },
    {
      key: 'dosing',
      title: 'Dosing visits',
      steps: [
        dosingVisit('dose_1', 'Dose 1', 7),
        dosingVisit('dose_2', 'Dose 2 (week 1)', 7),
        dosingVisit('dose_3', 'Dose 3 (week 2)', 7),
        dosingVisit('dose_4', 'Dose 4 (week 3)', 7),
        dosingVisit('booster', 'Booster (week 9)', 42),
      ],
    },
    {
      key: 'follow_up',
      title: 'Follow-up',
      steps: [
        {
          key: 'follow_up',
          title: 'Recurrence-free survival follow-up',
          partnerType: 'treatment_centre',
          role: 'provider',
          tasks: [
            {
              key: 'imaging',
              title: 'Imaging',
              fields: [{ key: 'recurrence', label: 'Recurrence', type: 'boolean' }],
            },
          ],
          exceptions: withdrawalOrDeath(['provider', 'case_manager']),
        },
      ],
    },
  ],
  overrides: [
    {
      key: 'hospital_dose_window',
      priority: 4,
      scope: { siteId: 'site-london-ucl', stage: 'dosing' },
      set: { fields: [{ field: 'site_of_injection', required: false }] },
    },
  ],
};
