import { type Browser, chromium, type Page } from 'playwright-core';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../../src/platform/auth/demo-users.ts';
import { totpCodeForStep, totpStepAt } from '../../src/platform/auth/totp.ts';

/** Debian's Chromium, headless, with the background traffic a closed network would refuse turned off. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** Console errors and warnings, except the browser's own line for each refused request (401, 422…). */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    const text = message.text();
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(text)) return;
    if (message.type() === 'error' || message.type() === 'warning')
      problems.push(`${message.type()}: ${text}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return problems;
}

/** Signs in a demo account through the screens: password, then the current authenticator code. */
export async function signIn(page: Page, email: string): Promise<void> {
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
  await page.getByLabel('6-digit code').fill(totpCodeForStep(DEMO_TOTP_SECRET, totpStepAt(new Date())));
  await page.getByRole('button', { name: 'Verify' }).click();
}
