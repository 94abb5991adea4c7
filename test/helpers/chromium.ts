// Pages are checked as a person sees them: opened from disk in Debian's
// headless Chromium (puppeteer-core drives the system binary; its own browser
// download fails here), with every console error, page error and failed
// request collected, and a full-page screenshot left next to the page.
import { existsSync } from 'node:fs';
import puppeteer, { type Page } from 'puppeteer-core';

export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);

export function warnIfNoChromium(what: string): void {
  if (!haveChromium) console.warn(`${what} skipped: ${CHROMIUM} is missing (apt-get install chromium; .ci/run does)`);
}

// Without the background-networking flags Chromium keeps dialing out, and this machine's network refuses it.
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function openInChromium<T>(file: string, inspect: (page: Page) => Promise<T>, width = 1280): Promise<{ errors: string[]; seen: T }> {
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('requestfailed', (req) => errors.push(`request failed: ${req.url()}`));
    await page.setViewport({ width, height: 900 });
    await page.goto(`file://${file}`, { waitUntil: 'load' });
    const seen = await inspect(page);
    await page.screenshot({ path: file.replace(/\.(html|svg)$/, '-screenshot.png'), fullPage: true });
    return { errors, seen };
  } finally {
    await browser.close();
  }
}
