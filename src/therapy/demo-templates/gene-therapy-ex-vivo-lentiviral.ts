import type { TherapyTemplateInput } from '../template-schema.ts';
import {
  outOfSpecification,
  patientIneligible,
  temperatureExcursion,
  withdrawalOrDeath,
} from './template-parts.ts';

/** Ex-vivo lentiviral gene therapy of haematopoietic stem cells (e.g. for β-thalassaemia). */
export const exVivoLentiviralTemplate: TherapyTemplateInput = {
  therapyType: 'gene_therapy_ex_vivo',
  code: 'gene-therapy-ex-vivo-lentiviral',
  version: 1,
  title: 'Ex-vivo lentiviral gene therapy (autologous CD34+ cells)',
  stages: [
    {
      key: 'intake',
      title: 'Referral and enrolment',
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
                { key: 'genotype', label: 'Genotype', type: 'text', maxLength: 100 },
                {
                  key: 'transfusions_per_year',
                  label: 'Transfusions per year',
                  type: 'number',
                  unit: 'transfusions',
                  min: 0,
                  max: 60,
                  integer: true,
                },
              ],
            },
          ],
          due: { after: 'P3D' },
        },
        {
          key: 'enrolment',
          title: 'Consent, fertility counselling and eligibility',
          partnerType: 'sponsor',
          role: 'program_coordinator',
          tasks: [
            {
              key: 'consent',
              title: 'Consent, including 15-year follow-up',
              fields: [
                { key: 'consent_signed', label: 'Consent signed', type: 'boolean' },
                { key: 'fertility_counselling', label: 'Fertility preservation offered', type: 'boolean' },
              ],
            },
          ],
          gates: {
            approvals: [
              { role: 'case_manager', count: 1 },
              { role: 'msl', count: 1 },
            ],
          },
          exceptions: [
            patientIneligible(['program_coordinator', 'case_manager']),
            ...withdrawalOrDeath(['case_manager']),
          ],
        },
      ],
    },
    {
      key: 'collection',
      title: 'Mobilisation and collection',
      steps: [
        {
          key: 'mobilisation_apheresis',
          title: 'Mobilisation (G-CSF + plerixafor) and apheresis',
          partnerType: 'collection_centre',
          role: 'collection_staff',
          tasks: [
            {
              key: 'collect',
              title: 'Collect CD34+ cells',
              fields: [
                {
                  key: 'cd34_dose',
                  label: 'CD34+ cells',
                  type: 'number',
                  unit: '10^6 cells/kg',
                  min: 0,
                  max: 100,
                },
                {
                  key: 'collection_cycles',
                  label: 'Collection cycles',
                  type: 'number',
                  unit: 'cycles',
                  min: 1,
                  max: 4,
                  integer: true,
                },
              ],
            },
          ],
          leadTimes: [{ toStep: 'transduction', min: 0, max: 72, unit: 'hours' }],
          exceptions: withdrawalOrDeath(['collection_staff', 'case_manager']),
        },
        {
          key: 'ship_to_plant',
          title: 'Courier to the plant',
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
          due: { after: 'PT72H', escalations: [{ toRole: 'case_manager', after: 'PT0H' }] },
          exceptions: [temperatureExcursion(['courier', 'case_manager'], null, 'mobilisation_apheresis')],
        },
      ],
    },
    {
      key: 'manufacturing',
      title: 'Transduction and release',
      steps: [
        {
          key: 'transduction',
          title: 'Lentiviral transduction and cryopreservation',
          partnerType: 'manufacturing_site',
          role: 'manufacturing',
          tasks: [
            {
              key: 'transduce',
              title: 'Transduce and cryopreserve',
              fields: [
                { key: 'batch_number', label: 'Batch', type: 'identifier', pattern: '^GT[0-9]{6}$' },
                { key: 'vector_lot', label: 'Vector lot', type: 'text' },
              ],
            },
          ],
          due: { after: 'P10D' },
        },
        {
          key: 'qc_release',
          title: 'QC: vector copy number, transduction efficiency',
          partnerType: 'manufacturing_site',
          role: 'lab',
          tasks: [
            {
              key: 'qc_results',
              title: 'Record QC results',
              fields: [
                {
                  key: 'vector_copy_number',
                  label: 'Vector copy number',
                  type: 'number',
                  unit: 'copies/diploid genome',
                  min: 0,
                  max: 10,
                },
                {
                  key: 'transduced_fraction',
                  label: 'Transduced cells',
                  type: 'number',
                  unit: '%',
                  min: 0,
                  max: 100,
                },
              ],
            },
          ],
          exceptions: [outOfSpecification(['lab', 'qa'], 'transduction', 'mobilisation_apheresis')],
        },
        {
          key: 'qa_release',
          title: 'QA release',
          partnerType: 'manufacturing_site',
          role: 'qa',
          tasks: [
            {
              key: 'certify',
              title: 'Certify the batch',
              fields: [
                {
                  key: 'coa_number',
                  label: 'Certificate of analysis',
                  type: 'identifier',
                  pattern: '^COA-[0-9]{6}$',
                },
              ],
            },
          ],
          gates: {
            signatures: {
              count: 2,
              mode: 'sequential',
              signerRoles: ['qa'],
              meaning: 'Release of the batch for infusion',
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
          key: 'ship_to_site',
          title: 'Courier to the treatment centre',
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
          exceptions: [
            temperatureExcursion(['courier', 'case_manager'], 'transduction', 'mobilisation_apheresis'),
          ],
        },
        {
          key: 'myeloablative_conditioning',
          title: 'Busulfan myeloablative conditioning',
          partnerType: 'treatment_centre',
          role: 'infusion_nurse',
          tasks: [
            {
              key: 'administer',
              title: 'Administer busulfan',
              fields: [
                {
                  key: 'busulfan_auc',
                  label: 'Busulfan AUC',
                  type: 'number',
                  unit: 'mg·h/L',
                  min: 0,
                  max: 200,
                },
              ],
            },
          ],
          leadTimes: [{ toStep: 'infusion', min: 2, max: 7, unit: 'days' }],
          exceptions: [patientIneligible(['infusion_nurse', 'case_manager'])],
        },
        {
          key: 'infusion',
          title: 'Thaw and infuse',
          partnerType: 'treatment_centre',
          role: 'infusion_nurse',
          tasks: [
            {
              key: 'infuse',
              title: 'Infuse',
              fields: [{ key: 'infused_at', label: 'Infused at', type: 'datetime' }],
            },
          ],
          gates: {
            signatures: {
              count: 2,
              mode: 'parallel',
              signerRoles: ['infusion_nurse'],
              meaning: 'Bedside identity verification',
            },
          },
        },
      ],
    },
    {
      key: 'follow_up',
      title: 'Follow-up',
      steps: [
        {
          key: 'engraftment',
          title: 'Neutrophil and platelet engraftment',
          partnerType: 'treatment_centre',
          role: 'provider',
          tasks: [
            {
              key: 'engraftment',
              title: 'Record engraftment',
              fields: [
                {
                  key: 'neutrophil_engraftment_day',
                  label: 'Neutrophil engraftment',
                  type: 'number',
                  unit: 'days',
                  min: 0,
                  max: 100,
                  integer: true,
                },
              ],
            },
          ],
          due: {
            after: 'P60D',
            escalations: [{ toRole: 'case_manager', after: 'P7D', repeatEvery: 'P7D', maxRepeats: 4 }],
          },
          exceptions: withdrawalOrDeath(['provider', 'case_manager']),
        },
        {
          key: 'long_term_follow_up',
          title: 'Long-term follow-up (15 years: insertional oncogenesis)',
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
      key: 'it_conditioning_approval_window',
      priority: 3,
      scope: { country: 'IT', step: 'myeloablative_conditioning' },
      set: { leadTimes: [{ toStep: 'infusion', min: 3, max: 5, unit: 'days' }] },
    },
  ],
};
