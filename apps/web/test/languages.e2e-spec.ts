import { MailpitClient, PortalClient, registrationBody, startPortal, waitFor, type Portal } from '@app/testing';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/browser';

const HOME = { line1: '1600 Pennsylvania Ave NW', city: 'Washington', state: 'DC', zip: '20500' };
const RECIPIENT = { name: 'Ada Destinataria', line1: '350 Fifth Avenue', city: 'New York', state: 'NY', zip: '10118' };

/** Issue 20 "Languages": the main walk-through in a Spanish-speaking browser, and the picker. */
describe('web portal in Spanish (all apps behind the gateway, real infrastructure)', () => {
  let portal: Portal;
  let browser: Browser;
  const mailpit = new MailpitClient();

  beforeAll(async () => {
    portal = await startPortal({
      env: { GATEWAY_AUTH_RATE_LIMIT_PER_MINUTE: '1000', GATEWAY_RATE_LIMIT_PER_MINUTE: '20000' },
    });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });

  async function heading(page: Page, text: string | RegExp): Promise<void> {
    await page.getByRole('heading', { level: 1, name: text }).waitFor({ timeout: 15_000 });
  }

  it('signs up, tracks and buys a label in Spanish: pages, API errors, email and profile', async () => {
    // The browser's language is Spanish: the portal follows it without being asked.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'es-MX' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const base = portal.gatewayUrl;
    const username = `es${Date.now().toString(36)}`;
    const email = `${username}@example.com`;
    const password = 'Violet-Tundra-88-Parsnip-Kettle';

    await page.goto(`${base}/`);
    await heading(page, 'Rastrear un paquete');
    await expect(page.evaluate<string>('document.documentElement.lang')).resolves.toBe('es');
    await expect(page.title()).resolves.toBe('Inicio · Servicio Postal');

    // An API error comes back in Spanish (the portal sends its language as Accept-Language).
    await page.goto(`${base}/login`);
    await heading(page, 'Iniciar sesión');
    await page.getByLabel('Nombre de usuario o correo electrónico').fill('nadie_por_aqui');
    await page.getByLabel('Contraseña', { exact: true }).fill('no es la contraseña');
    await page.getByRole('button', { name: 'Iniciar sesión', exact: true }).click();
    await page.getByRole('alert').getByText('nombre de usuario o contraseña incorrectos').waitFor();

    // Sign up.
    await page.goto(`${base}/signup`);
    await heading(page, 'Cree su cuenta');
    await page.getByLabel('Nombre', { exact: true }).fill('Graciela');
    await page.getByLabel('Apellidos').fill('Prueba');
    await page.getByLabel('Nombre de usuario').fill(username);
    await page.getByLabel('Correo electrónico').fill(email);
    await page.getByLabel('Contraseña').fill('password123');
    await page.getByText(/^Demasiado corta: 11 de al menos 12 caracteres\./).waitFor();
    await page.getByLabel('Contraseña').fill(password);
    await page.getByText(/^(Segura|Muy segura)\./).waitFor();
    await page.getByLabel('Dirección').fill(HOME.line1);
    await page.getByLabel('Ciudad').fill(HOME.city);
    await page.getByLabel('Estado').fill(HOME.state);
    await page.getByLabel('Código postal').fill(HOME.zip);
    await page.getByRole('button', { name: 'Crear cuenta' }).click();

    // The verification email is in Spanish: the account took the page's language.
    await heading(page, 'Verifique su correo electrónico');
    const mail = await mailpit.waitForMessage({ to: email, subject: 'Su código de verificación', timeoutMs: 30_000 });
    const text = await mailpit.messageText(mail.ID);
    expect(text).toContain('Hola, Graciela:');
    const code = /Su código de verificación es (\d{6,10})/.exec(text)?.[1];
    expect(code).toBeDefined();
    await page.getByLabel('Código de verificación').fill(code!);
    await page.getByRole('button', { name: 'Verificar' }).click();

    await heading(page, 'Iniciar sesión');
    await page.getByText('Su correo electrónico está verificado').waitFor();
    await page.getByLabel('Contraseña', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Iniciar sesión', exact: true }).click();
    await heading(page, 'Su panel');

    // Buy a label: plurals and amounts from the library and Intl.
    await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Etiquetas' }).click();
    await heading(page, 'Etiquetas de envío');
    const from = page.getByRole('group', { name: 'Remitente' });
    await from.getByLabel('Nombre', { exact: true }).fill('Graciela Prueba');
    await from.getByLabel('Dirección').fill(HOME.line1);
    await from.getByLabel('Ciudad').fill(HOME.city);
    await from.getByLabel('Estado').fill(HOME.state);
    await from.getByLabel('Código postal').fill(HOME.zip);
    const to = page.getByRole('group', { name: 'Destinatario' });
    await to.getByLabel('Nombre', { exact: true }).fill(RECIPIENT.name);
    await to.getByLabel('Dirección').fill(RECIPIENT.line1);
    await to.getByLabel('Ciudad').fill(RECIPIENT.city);
    await to.getByLabel('Estado').fill(RECIPIENT.state);
    await to.getByLabel('Código postal').fill(RECIPIENT.zip);
    await page.getByLabel('Peso (onzas)').fill('24');
    await page.getByRole('button', { name: 'Ver precios' }).click();
    const services = page.getByRole('group', { name: 'Servicio' });
    await services
      .getByText(/ · \d+ días? · zona \d/)
      .first()
      .waitFor();
    expect(await services.textContent()).not.toContain('(s)');
    await page.getByRole('button', { name: 'Comprar etiqueta' }).click();
    const bought = page.getByRole('status').filter({ hasText: 'Etiqueta comprada' });
    await bought.waitFor();
    const trackingNumber = ((await bought.locator('strong.mono').textContent()) ?? '').trim();
    expect(trackingNumber).toMatch(/^\d{20,34}$/);
    await page.getByRole('button', { name: `Descargar el PDF de la etiqueta ${trackingNumber}` }).waitFor();

    // Track it.
    await page.goto(`${base}/`);
    await page.getByLabel('Números de rastreo').fill(trackingNumber);
    await page.getByRole('button', { name: 'Rastrear', exact: true }).click();
    await heading(page, 'Rastreo');
    await page.getByRole('article', { name: trackingNumber }).getByText('Antes del envío').first().waitFor();
    // What the shipper cannot do with the parcel, and why, in Spanish (the API answers by Accept-Language).
    await page.getByText('No disponible ahora').click();
    await page.getByText('solo el destinatario puede pedir una nueva entrega').waitFor();
    expect(await page.getByText('only the recipient', { exact: false }).count()).toBe(0);

    // The profile keeps Spanish; the picker switches the page (and the profile) to Chinese.
    const api = new PortalClient(`${base}/api/v1`);
    const token = (await api.post<{ accessToken: string }>('/auth/login', { username, password })).body.accessToken;
    expect((await api.get<{ language: string }>('/me', token)).body.language).toBe('es');
    await page.getByLabel('Idioma').selectOption('zh-Hans');
    await heading(page, '追踪');
    await expect(page.evaluate<string>('document.documentElement.lang')).resolves.toBe('zh-Hans');
    await waitFor(async () => (await api.get<{ language: string }>('/me', token)).body.language === 'zh-Hans', {
      timeoutMs: 10_000,
      description: 'the profile language to follow the picker',
    });
    await context.close();

    // Signing in on an English browser where no language was picked: the account's language applies.
    const english = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    const other = await english.newPage();
    other.setDefaultTimeout(20_000);
    await other.goto(`${base}/login`);
    await heading(other, 'Log in');
    await other.getByLabel('Username or email').fill(username);
    await other.getByLabel('Password', { exact: true }).fill(password);
    await other.getByRole('button', { name: 'Log in', exact: true }).click();
    await heading(other, '您的概览');
    await english.close();
  }, 300_000);

  it("ties the API's field errors to their fields in Spanish: a taken username, announced and described", async () => {
    const base = portal.gatewayUrl;
    const api = new PortalClient(`${base}/api/v1`);
    const taken = `tomado${Date.now().toString(36)}`;
    const password = 'Violet-Tundra-88-Parsnip-Kettle';
    const first = await api.post('/auth/register', registrationBody({ username: taken }));
    expect(first.status).toBe(201);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'es-ES' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${base}/signup`);
    await heading(page, 'Cree su cuenta');
    await page.getByLabel('Nombre', { exact: true }).fill('Otra');
    await page.getByLabel('Apellidos').fill('Persona');
    await page.getByLabel('Nombre de usuario').fill(taken);
    await page.getByLabel('Correo electrónico').fill(`otra${taken}@example.com`);
    await page.getByLabel('Contraseña').fill(password);
    await page.getByLabel('Dirección').fill(HOME.line1);
    await page.getByLabel('Ciudad').fill(HOME.city);
    await page.getByLabel('Estado').fill(HOME.state);
    await page.getByLabel('Código postal').fill(HOME.zip);
    await page.getByRole('button', { name: 'Crear cuenta' }).click();

    // Announced in the summary (role=alert), and written under the field, which says it is invalid.
    const message = 'el nombre de usuario ya está en uso';
    await page.getByRole('alert').getByText(message).waitFor();
    const field = page.getByLabel('Nombre de usuario');
    await expect(field.getAttribute('aria-invalid')).resolves.toBe('true');
    const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
    const description = await page.evaluate<string>(
      `${JSON.stringify(describedBy)}.split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' ')`,
    );
    expect(description).toContain(message);
    // Only that field: the others were accepted.
    await expect(page.getByLabel('Correo electrónico').getAttribute('aria-invalid')).resolves.toBeNull();

    // Correcting it clears its error at once.
    await field.fill(`${taken}x`);
    await waitFor(async () => (await field.getAttribute('aria-invalid')) === null, {
      timeoutMs: 10_000,
      description: 'the corrected field to lose its error',
    });
    await context.close();
  }, 120_000);
});
