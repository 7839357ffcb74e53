/** One screen of the app: where it lives, what it is called, what it is for, and what it shows when empty. */
export interface Screen {
  path: string;
  /** Label in the navigation. */
  navLabel: string;
  /** Page heading. */
  title: string;
  /** One sentence, written for the person who uses this screen. */
  purpose: string;
  empty: { title: string; description: string };
  /** The screen is shown, and listed in the navigation, only to users holding one of these permissions. */
  permissions?: readonly string[];
}

export interface ScreenGroup {
  id: string;
  label: string;
  screens: readonly Screen[];
}

export const overviewScreen: Screen = {
  path: '/',
  navLabel: 'Overview',
  title: 'Overview',
  purpose:
    'See the organisations in your therapy network — sponsors, hospitals, collection centres, manufacturing sites, couriers, laboratories and payers — and how many sites each one runs.',
  empty: {
    title: 'No partners yet',
    description: 'Partners appear here when an administrator adds the organisations of your therapy network.',
  },
};

/** Permissions that open one tab or more of the administration page. */
export const adminPermissions = [
  'partners:manage',
  'users:read',
  'users:manage',
  'api-clients:manage',
  'jobs:manage',
  'outbox:read',
] as const;

export const auditScreen: Screen = {
  path: '/audit',
  navLabel: 'Audit trail',
  title: 'Audit trail',
  purpose:
    'Review every change to regulated data — who, what, when and why — and check that an entry is in the signed, tamper-evident ledger.',
  empty: {
    title: 'No ledger entries yet',
    description: 'Every change to regulated data is recorded here the moment it is made.',
  },
  permissions: ['audit:read'],
};

export const adminScreen: Screen = {
  path: '/admin',
  navLabel: 'Administration',
  title: 'Administration',
  purpose:
    'Set up the partners and sites of your network, the people who use Cellway and the systems that call it, and look after failed jobs and outgoing messages.',
  empty: {
    title: 'Nothing configured yet',
    description: 'Partners, sites and users appear here once an administrator adds them.',
  },
  permissions: adminPermissions,
};

/** Your own account: reached from the account menu in the header, not from the navigation. */
export const profileScreen: Screen = {
  path: '/profile',
  navLabel: 'Profile',
  title: 'Your profile',
  purpose:
    'Your name, organisation and roles; change your password, set up your second factor, and sign out.',
  empty: { title: 'No profile', description: 'Sign in to see your profile.' },
};

export const casesScreen: Screen = {
  path: '/cases',
  navLabel: 'Cases',
  title: 'Cases',
  purpose:
    "Watch every patient's case move vein to vein, from referral to long-term follow-up, and step in where one is delayed or at risk.",
  empty: {
    title: 'No cases yet',
    description: 'Cases appear here when a treatment centre refers a patient.',
  },
};

export const myWorkScreen: Screen = {
  path: '/my-work',
  navLabel: 'My work',
  title: 'My work',
  purpose: 'The tasks waiting for you and your role, with what is due next and what is already overdue.',
  empty: {
    title: 'Nothing waiting for you',
    description: 'Tasks appear here when a case reaches a step that your role performs.',
  },
};

export const therapyScreen: Screen = {
  path: '/therapy',
  navLabel: 'Therapy programmes',
  title: 'Therapy programmes',
  purpose:
    'See each therapy programme as its stages and steps: who does each step, what they record, which signatures and approvals it needs, when it is due, and the lead times between steps; compare two versions.',
  empty: {
    title: 'No therapy programmes yet',
    description: 'Programmes appear here when an administrator loads a therapy template.',
  },
};

export const custodyScreen: Screen = {
  path: '/custody',
  navLabel: 'Custody & identity',
  title: 'Custody & identity',
  purpose:
    'Follow each chain of identity through every hand-off — who, where, when and in what condition — scan and sign hand-offs, print labels, and check the bag against the patient at the bedside.',
  empty: {
    title: 'No cases to follow yet',
    description:
      "Cases appear here when your organisation takes part in one; a chain of identity is assigned when the patient's cells are collected.",
  },
  permissions: ['custody:read'],
};

export const staffScreens: readonly Screen[] = [
  overviewScreen,
  casesScreen,
  myWorkScreen,
  therapyScreen,
  {
    path: '/scheduling',
    navLabel: 'Scheduling',
    title: 'Scheduling',
    purpose:
      "Find a patient's slot chain — collection, manufacturing and infusion — compare the options side by side, hold and book it in one step, re-plan the later steps when one moves, and see each site's free capacity.",
    empty: {
      title: 'No bookings yet',
      description: 'Bookings appear here when a coordinator books a slot chain for a case.',
    },
    permissions: ['scheduling:read'],
  },
  custodyScreen,
  {
    path: '/patients',
    navLabel: 'Patients',
    title: 'Patients',
    purpose:
      'Enrol patients in their programme and run their onboarding: consent, portal access, benefits verification, services and every conversation.',
    empty: {
      title: 'No patients yet',
      description: 'Patients appear here when they are referred or enrolled in a programme.',
    },
  },
  {
    path: '/medical-information',
    navLabel: 'Medical information',
    title: 'Medical information',
    purpose:
      'Answer medical inquiries from doctors and patients with approved knowledge articles, and accept or reroute them before their service-level clock runs out.',
    empty: {
      title: 'No inquiries yet',
      description: 'Inquiries appear here when a doctor or a patient asks a medical question.',
    },
  },
  {
    path: '/safety',
    navLabel: 'Safety',
    title: 'Safety',
    purpose:
      'Record adverse events reported by patients, doctors and staff — with the four minimum criteria, seriousness and the regulatory clock — and hand them to the safety team.',
    empty: {
      title: 'No adverse events reported',
      description:
        'Reports appear here when a patient, doctor or staff member reports one, or when an inquiry is flagged as one.',
    },
  },
  {
    path: '/trials',
    navLabel: 'Clinical trials',
    title: 'Clinical trials',
    purpose:
      'Run studies alongside commercial programmes: study sites, prescreening questionnaires, candidates and enrolment.',
    empty: {
      title: 'No studies yet',
      description: 'Studies appear here when the sponsor sets one up.',
    },
  },
  {
    path: '/dashboards',
    navLabel: 'Dashboards',
    title: 'Dashboards',
    purpose:
      'See cases by stage, bottlenecks, overdue and at-risk steps, vein-to-vein times and slot utilisation at a glance, and export them to CSV.',
    empty: {
      title: 'Nothing to chart yet',
      description: 'Dashboards fill in as cases move through their steps.',
    },
  },
  auditScreen,
  adminScreen,
];

export const portalScreens: readonly Screen[] = [
  {
    path: '/portal/provider',
    navLabel: 'Provider portal',
    title: 'Provider portal',
    purpose:
      'Read product resources, ask a medical question, enrol your patients in programmes and follow where each of them is in treatment.',
    empty: {
      title: 'No patients yet',
      description: 'Your patients appear here once you refer or enrol them.',
    },
  },
  {
    path: '/portal/patient',
    navLabel: 'Patient portal',
    title: 'Patient portal',
    purpose:
      'Follow your treatment journey, book appointments, report side effects, learn about your therapy and manage your consent.',
    empty: {
      title: 'Your journey has not started yet',
      description: 'It appears here once your care team enrols you in a programme.',
    },
  },
  {
    path: '/portal/partner',
    navLabel: 'Partner portal',
    title: 'Partner portal',
    purpose:
      'Pick up, hand over, receive and release the products entrusted to your organisation, and report their condition and status.',
    empty: {
      title: 'No work for your organisation yet',
      description: 'Pick-ups, receipts and releases appear here when a case needs your organisation.',
    },
  },
];

export const screenGroups: readonly ScreenGroup[] = [
  { id: 'staff', label: 'Staff console', screens: staffScreens },
  { id: 'portals', label: 'Portals', screens: portalScreens },
];

/** True when `pathname` is this screen or one of its sub-pages. */
export function isScreenActive(screen: Screen, pathname: string): boolean {
  if (screen.path === '/') return pathname === '/';
  return pathname === screen.path || pathname.startsWith(`${screen.path}/`);
}
