import type { TherapyTemplateInput } from '../template-schema.ts';
import {
  followUpVisit,
  outOfSpecification,
  patientIneligible,
  temperatureExcursion,
  withdrawalOrDeath,
} from './template-parts.ts';

const COI_PATTERN = '^[A-Z][0-9]{4}[0-9]{2}[0-9]{6}[0-9A-Z*]$';

/** Autologous CAR-T, vein to vein: the reference journey of the product brief. */
export const carTAutologousTemplate: TherapyTemplateInput = {
  therapyType: 'car_t_autologous',
  code: 'car-t-autologous',
  version: 1,
  title: 'Autologous CAR-T cell therapy',
  stages: [
    {
      key: 'referral',
      title: 'Referral',
      steps: [
        {
          key: 'referral',
          title: 'Referral from the treating physician',
          partnerType: 'treatment_centre',
          role: 'centre_coordinator',
          tasks: [
            {
              key: 'submit_referral',
              title: 'Submit the referral',
              fields: [
                {
                  key: 'indication',
                  label: 'Indication',
                  type: 'choice',
                  options: ['dlbcl', 'all', 'mm', 'fl', 'mcl'],
                },
                { key: 'referring_physician', label: 'Referring physician', type: 'text', maxLength: 200 },
                {
                  key: 'prior_lines',
                  label: 'Prior lines of therapy',
                  type: 'number',
                  unit: 'lines',
                  min: 0,
                  max: 20,
                  integer: true,
                },
              ],
            },
          ],
          due: { after: 'P2D', escalations: [{ toRole: 'case_manager', after: 'P1D' }] },
          exceptions: withdrawalOrDeath(['centre_coordinator', 'case_manager']),
        },
      ],
    },
    {
      key: 'enrolment',
      title: 'Enrolment',
      steps: [
        {
          key: 'enrolment',
          title: 'Consent, eligibility and benefits verification',
          partnerType: 'sponsor',
          role: 'program_coordinator',
          tasks: [
            {
              key: 'consent',
              title: 'Record informed consent',
              fields: [
                { key: 'consent_signed', label: 'Consent signed', type: 'boolean' },
                { key: 'consent_date', label: 'Consent date', type: 'date' },
              ],
            },
            {
              key: 'eligibility',
              title: 'Confirm eligibility',
              fields: [
                { key: 'ecog', label: 'ECOG performance status', type: 'choice', options: ['0', '1', '2'] },
              ],
            },
            {
              key: 'benefits_verification',
              title: 'Verify benefits with the payer',
              fields: [
                {
                  key: 'coverage_status',
                  label: 'Coverage',
                  type: 'choice',
                  options: ['approved', 'pending_appeal'],
                },
                { key: 'authorisation_number', label: 'Prior authorisation', type: 'text', required: false },
              ],
            },
          ],
          gates: { approvals: [{ role: 'case_manager', count: 1 }] },
          due: {
            after: 'P5D',
            escalations: [{ toRole: 'case_manager', after: 'P1D', repeatEvery: 'P1D', maxRepeats: 2 }],
          },
          exceptions: [
            patientIneligible(['program_coordinator', 'case_manager']),
            ...withdrawalOrDeath(['program_coordinator', 'case_manager']),
          ],
        },
      ],
    },
    {
      key: 'scheduling',
      title: 'Scheduling',
      steps: [
        {
          key: 'scheduling',
          title: 'Book the slot chain (collection → manufacturing → infusion)',
          partnerType: 'treatment_centre',
          role: 'centre_coordinator',
          tasks: [
            {
              key: 'book_slot_chain',
              title: 'Book the slot chain',
              fields: [
                { key: 'collection_date', label: 'Collection date', type: 'date' },
                { key: 'planned_infusion_date', label: 'Planned infusion date', type: 'date' },
              ],
            },
          ],
          leadTimes: [{ toStep: 'apheresis', min: 1, max: 21, unit: 'days' }],
          due: { after: 'P3D', escalations: [{ toRole: 'case_manager', after: 'PT12H' }] },
          exceptions: withdrawalOrDeath(['centre_coordinator', 'case_manager']),
        },
      ],
    },
    {
      key: 'collection',
      title: 'Collection',
      steps: [
        {
          key: 'apheresis',
          title: 'Leukapheresis and labelling',
          partnerType: 'collection_centre',
          role: 'collection_staff',
          tasks: [
            {
              key: 'collect',
              title: 'Collect and assign the Chain of Identity',
              fields: [
                {
                  key: 'chain_of_identity',
                  label: 'Chain of Identity',
                  type: 'identifier',
                  pattern: COI_PATTERN,
                },
                { key: 'collection_end', label: 'End of collection', type: 'datetime' },
                {
                  key: 'cd3_count',
                  label: 'CD3+ cells',
                  type: 'number',
                  unit: '10^9 cells',
                  min: 0,
                  max: 100,
                },
                { key: 'volume', label: 'Volume', type: 'number', unit: 'mL', min: 50, max: 500 },
              ],
            },
            {
              key: 'label_bag',
              title: 'Label the bag',
              fields: [{ key: 'label_verified', label: 'Label verified against patient', type: 'boolean' }],
            },
          ],
          gates: {
            signatures: {
              count: 1,
              mode: 'parallel',
              signerRoles: ['collection_staff'],
              meaning: 'Collected by',
            },
          },
          // Fresh apheresis must reach the plant within 48 hours of the end of collection.
          leadTimes: [{ toStep: 'manufacturing', min: 0, max: 48, unit: 'hours' }],
          due: { after: 'P1D', escalations: [{ toRole: 'case_manager', after: 'PT4H' }] },
          exceptions: [
            patientIneligible(['collection_staff', 'case_manager']),
            ...withdrawalOrDeath(['collection_staff', 'case_manager']),
          ],
        },
        {
          key: 'ship_to_plant',
          title: 'Courier to the manufacturing plant (fresh, 2–8 °C)',
          partnerType: 'courier',
          role: 'courier',
          tasks: [
            {
              key: 'pick_up',
              title: 'Pick up at the collection centre',
              fields: [
                { key: 'picked_up_at', label: 'Picked up at', type: 'datetime' },
                { key: 'shipper_id', label: 'Shipper', type: 'identifier', pattern: '^SHP-[0-9]{6}$' },
              ],
            },
            {
              key: 'deliver',
              title: 'Deliver to the plant',
              fields: [
                { key: 'delivered_at', label: 'Delivered at', type: 'datetime' },
                {
                  key: 'max_temperature',
                  label: 'Highest logged temperature',
                  type: 'number',
                  unit: '°C',
                  min: -200,
                  max: 60,
                },
              ],
            },
          ],
          gates: {
            custodyComplete: true,
            signatures: {
              count: 1,
              mode: 'parallel',
              signerRoles: ['courier'],
              meaning: 'Received for transport by',
              // The courier signs the pick-up hand-off; the step waits for it through its custody gate.
              on: 'handoff',
            },
          },
          due: {
            after: 'PT48H',
            escalations: [{ toRole: 'case_manager', after: 'PT0H', repeatEvery: 'PT2H', maxRepeats: 6 }],
          },
          exceptions: [
            temperatureExcursion(['courier', 'manufacturing', 'case_manager'], null, 'apheresis'),
            {
              code: 'shipment_delayed',
              reasonCodes: ['flight_cancelled', 'customs', 'weather'],
              raisedBy: ['courier', 'case_manager'],
              branches: [
                {
                  key: 'continue',
                  title: 'Continue (within 48 h)',
                  kind: 'resume',
                  decidedBy: ['case_manager'],
                },
                {
                  key: 'recollection',
                  title: 'Re-collect',
                  kind: 'go_to_step',
                  toStep: 'apheresis',
                  decidedBy: ['case_manager'],
                },
              ],
            },
          ],
        },
      ],
    },
    {
      key: 'manufacturing',
      title: 'Manufacturing and release',
      steps: [
        {
          key: 'manufacturing',
          title: 'Manufacture the CAR-T product',
          partnerType: 'manufacturing_site',
          role: 'manufacturing',
          tasks: [
            {
              key: 'receive_material',
              title: 'Receive the apheresis material',
              fields: [{ key: 'received_at', label: 'Received at', type: 'datetime' }],
            },
            {
              key: 'manufacture',
              title: 'Manufacture (status from the LIMS)',
              fields: [
                { key: 'batch_number', label: 'Batch number', type: 'identifier', pattern: '^B[0-9]{8}$' },
                { key: 'harvest_date', label: 'Harvest date', type: 'date' },
              ],
            },
          ],
          due: { after: 'P14D', escalations: [{ toRole: 'case_manager', after: 'P1D' }] },
          exceptions: [
            {
              code: 'manufacturing_failure',
              reasonCodes: ['expansion_failure', 'contamination', 'equipment_failure'],
              raisedBy: ['manufacturing', 'qa'],
              branches: [
                {
                  key: 'remanufacture',
                  title: 'Restart from retained material',
                  kind: 'go_to_step',
                  toStep: 'manufacturing',
                  decidedBy: ['qa'],
                },
                {
                  key: 'recollection',
                  title: 'Re-collect',
                  kind: 'go_to_step',
                  toStep: 'apheresis',
                  decidedBy: ['qa'],
                },
              ],
            },
            ...withdrawalOrDeath(['case_manager']),
          ],
        },
        {
          key: 'qc_release',
          title: 'Quality control testing',
          partnerType: 'manufacturing_site',
          role: 'lab',
          tasks: [
            {
              key: 'qc_results',
              title: 'Record QC results',
              fields: [
                { key: 'viability', label: 'Viability', type: 'number', unit: '%', min: 0, max: 100 },
                {
                  key: 'car_t_dose',
                  label: 'CAR-positive viable T cells',
                  type: 'number',
                  unit: '10^6 cells',
                  min: 0,
                },
                { key: 'sterility', label: 'Sterility', type: 'choice', options: ['pass', 'fail'] },
                { key: 'endotoxin', label: 'Endotoxin', type: 'number', unit: 'EU/mL', min: 0 },
              ],
            },
          ],
          due: { after: 'P7D', escalations: [{ toRole: 'qa', after: 'P1D' }] },
          exceptions: [
            outOfSpecification(['lab', 'qa'], 'manufacturing', 'apheresis'),
            ...withdrawalOrDeath(['case_manager']),
          ],
        },
        {
          key: 'qa_release',
          title: 'QA release of the batch',
          partnerType: 'manufacturing_site',
          role: 'qa',
          tasks: [
            {
              key: 'batch_record_review',
              title: 'Review the batch record and certificate of analysis',
              fields: [
                { key: 'batch_record_reviewed', label: 'Batch record reviewed', type: 'boolean' },
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
          next: ['ship_to_site', 'conditioning'],
          due: { after: 'P2D', escalations: [{ toRole: 'case_manager', after: 'PT12H' }] },
          exceptions: [
            outOfSpecification(['qa'], 'manufacturing', 'apheresis'),
            ...withdrawalOrDeath(['case_manager']),
          ],
        },
      ],
    },
    {
      key: 'delivery',
      title: 'Delivery to the treatment centre',
      steps: [
        {
          key: 'ship_to_site',
          title: 'Courier to the treatment centre (cryopreserved, vapour phase LN2)',
          partnerType: 'courier',
          role: 'courier',
          tasks: [
            {
              key: 'pick_up',
              title: 'Pick up at the plant',
              fields: [
                { key: 'picked_up_at', label: 'Picked up at', type: 'datetime' },
                { key: 'shipper_id', label: 'Dry shipper', type: 'identifier', pattern: '^SHP-[0-9]{6}$' },
              ],
            },
            {
              key: 'deliver',
              title: 'Deliver to the treatment centre',
              fields: [
                { key: 'delivered_at', label: 'Delivered at', type: 'datetime' },
                {
                  key: 'max_temperature',
                  label: 'Highest logged temperature',
                  type: 'number',
                  unit: '°C',
                  min: -200,
                  max: 60,
                },
              ],
            },
          ],
          gates: { custodyComplete: true },
          next: ['receipt_storage'],
          due: { after: 'P3D', escalations: [{ toRole: 'case_manager', after: 'PT2H' }] },
          exceptions: [
            temperatureExcursion(['courier', 'infusion_nurse', 'case_manager'], 'manufacturing', 'apheresis'),
          ],
        },
        {
          key: 'receipt_storage',
          title: 'Receipt and storage at the treatment centre',
          partnerType: 'treatment_centre',
          role: 'infusion_nurse',
          tasks: [
            {
              key: 'receive',
              title: 'Receive and store in the LN2 freezer',
              fields: [
                { key: 'received_at', label: 'Received at', type: 'datetime' },
                { key: 'storage_location', label: 'Storage location', type: 'text', maxLength: 100 },
                { key: 'coi_verified', label: 'Chain of Identity verified', type: 'boolean' },
              ],
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
          next: ['thaw'],
          due: { after: 'PT12H', escalations: [{ toRole: 'centre_coordinator', after: 'PT2H' }] },
          exceptions: [
            temperatureExcursion(['infusion_nurse', 'case_manager'], 'manufacturing', 'apheresis'),
          ],
        },
      ],
    },
    {
      key: 'treatment',
      title: 'Treatment',
      steps: [
        {
          key: 'conditioning',
          title: 'Lymphodepleting chemotherapy',
          partnerType: 'treatment_centre',
          role: 'infusion_nurse',
          tasks: [
            {
              key: 'administer',
              title: 'Administer conditioning',
              fields: [
                { key: 'regimen', label: 'Regimen', type: 'choice', options: ['flu_cy', 'bendamustine'] },
                { key: 'start_date', label: 'First day', type: 'date' },
                { key: 'end_date', label: 'Last day', type: 'date' },
              ],
            },
          ],
          // Conditioning ends 3 to 5 days before the infusion.
          leadTimes: [{ toStep: 'infusion', min: 3, max: 5, unit: 'days' }],
          next: ['thaw'],
          exceptions: [
            patientIneligible(['infusion_nurse', 'provider', 'case_manager']),
            ...withdrawalOrDeath(['infusion_nurse', 'provider', 'case_manager']),
          ],
        },
        {
          key: 'thaw',
          title: 'Thaw the product',
          partnerType: 'treatment_centre',
          role: 'infusion_nurse',
          join: 'all',
          tasks: [
            {
              key: 'thaw_product',
              title: 'Thaw in the water bath',
              fields: [
                { key: 'thaw_started_at', label: 'Thaw started at', type: 'datetime' },
                {
                  key: 'bath_temperature',
                  label: 'Water bath temperature',
                  type: 'number',
                  unit: '°C',
                  min: 35,
                  max: 39,
                },
              ],
            },
          ],
          leadTimes: [{ toStep: 'infusion', min: 0, max: 90, unit: 'minutes' }],
          due: { after: 'PT30M', escalations: [{ toRole: 'centre_coordinator', after: 'PT0M' }] },
          exceptions: withdrawalOrDeath(['infusion_nurse', 'case_manager']),
        },
        {
          key: 'bedside_check',
          title: 'Bedside identity check',
          partnerType: 'treatment_centre',
          role: 'infusion_nurse',
          tasks: [
            {
              key: 'verify_identity',
              title: 'Scan wristband and bag',
              fields: [
                {
                  key: 'wristband_coi',
                  label: 'Wristband Chain of Identity',
                  type: 'identifier',
                  pattern: COI_PATTERN,
                },
                { key: 'bag_coi', label: 'Bag Chain of Identity', type: 'identifier', pattern: COI_PATTERN },
                { key: 'identity_match', label: 'Patient and bag match', type: 'boolean' },
              ],
            },
          ],
          gates: {
            signatures: {
              count: 2,
              mode: 'parallel',
              signerRoles: ['infusion_nurse'],
              meaning: 'Two-person bedside identity verification',
            },
          },
          due: { after: 'PT30M' },
          exceptions: withdrawalOrDeath(['infusion_nurse', 'case_manager']),
        },
        {
          key: 'infusion',
          title: 'Infusion',
          partnerType: 'treatment_centre',
          role: 'infusion_nurse',
          tasks: [
            {
              key: 'infuse',
              title: 'Infuse and record',
              fields: [
                { key: 'infusion_start', label: 'Start', type: 'datetime' },
                { key: 'infusion_end', label: 'End', type: 'datetime' },
                {
                  key: 'volume_infused',
                  label: 'Volume infused',
                  type: 'number',
                  unit: 'mL',
                  min: 0,
                  max: 250,
                },
              ],
            },
          ],
          due: { after: 'PT2H' },
          exceptions: withdrawalOrDeath(['infusion_nurse', 'case_manager']),
        },
      ],
    },
    {
      key: 'follow_up',
      title: 'Follow-up',
      steps: [
        followUpVisit('follow_up_day_7', 'Follow-up day 7 (CRS, ICANS)', 7),
        followUpVisit('follow_up_day_14', 'Follow-up day 14', 7),
        followUpVisit('follow_up_day_28', 'Follow-up day 28', 14),
        {
          key: 'long_term_follow_up',
          title: 'Long-term follow-up (15 years)',
          partnerType: 'treatment_centre',
          role: 'provider',
          tasks: [
            {
              key: 'ltfu_enrolment',
              title: 'Enrol in the long-term follow-up registry',
              fields: [
                {
                  key: 'registry_id',
                  label: 'Registry identifier',
                  type: 'identifier',
                  pattern: '^LTFU-[0-9]{6}$',
                },
                { key: 'enrolled_on', label: 'Enrolled on', type: 'date' },
              ],
            },
          ],
          due: { after: 'P30D', escalations: [{ toRole: 'case_manager', after: 'P7D' }] },
          exceptions: withdrawalOrDeath(['provider', 'case_manager']),
        },
      ],
    },
  ],
  overrides: [
    {
      key: 'de_receipt_two_signatures',
      priority: 10,
      scope: { country: 'DE', step: 'receipt_storage' },
      set: { signatureCount: 2 },
    },
    {
      key: 'paris_volume_optional',
      priority: 5,
      scope: { siteId: 'site-paris-saint-louis', step: 'apheresis' },
      set: { fields: [{ field: 'volume', required: false }] },
    },
    {
      key: 'fr_conditioning_window',
      priority: 1,
      scope: { country: 'FR', stage: 'treatment', step: 'conditioning' },
      set: { leadTimes: [{ toStep: 'infusion', min: 2, max: 7, unit: 'days' }] },
    },
  ],
};
