import type { TherapyTemplateInput } from '../template-schema.ts';
import { carTAutologousTemplate } from './car-t-autologous.ts';
import { exVivoLentiviralTemplate } from './gene-therapy-ex-vivo-lentiviral.ts';
import { inVivoAavTemplate } from './gene-therapy-in-vivo-aav.ts';
import { mrnaPersonalisedVaccineTemplate } from './mrna-personalised-vaccine.ts';

/** The templates the demo seeds, in the order the template list shows them. */
export const DEMO_TEMPLATES: readonly TherapyTemplateInput[] = [
  carTAutologousTemplate,
  exVivoLentiviralTemplate,
  inVivoAavTemplate,
  mrnaPersonalisedVaccineTemplate,
];
