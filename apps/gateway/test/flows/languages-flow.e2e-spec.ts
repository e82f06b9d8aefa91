import { PDFDocument } from 'pdf-lib';
import { BATCH_CSV_COLUMNS } from '@app/contracts';
import {
  createAddress,
  createLabel,
  createOrder,
  createUser,
  emailedCode,
  login,
  registrationBody,
  waitFor,
} from '@app/testing';
import { createOrg, switchTo } from '../teams/teams-helpers';
import { pdfText, startFlow, type Flow } from './flow-helpers';

jest.setTimeout(180_000);

/** Issue 20 "Languages": the API answers in the caller's language, the account keeps one, notices use it. */
describe('languages through the gateway (real stack)', () => {
  let flow: Flow;

  beforeAll(async () => {
    // The apps' readiness gets more than the default minute: this machine runs several suites at once.
    flow = await startFlow({}, { readyTimeoutMs: 180_000 });
  }, 300_000);

  afterAll(async () => {
    await flow?.portal.stop();
  });

  it('gives an error message in Spanish or Chinese by Accept-Language; status, error and fields unchanged', async () => {
    const { api } = flow;
    const login = (language?: string) =>
      api.call<{ statusCode: number; error: string; message: string }>('POST', '/auth/login', {
        body: { username: 'nobody_here', password: 'not the password at all' },
        headers: language ? { 'accept-language': language } : {},
      });
    const english = await login();
    const spanish = await login('es-MX,es;q=0.9,en;q=0.5');
    const chinese = await login('zh-CN');
    expect(english.body).toMatchObject({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'invalid username or password',
    });
    expect(spanish.status).toBe(401);
    expect(spanish.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    expect(spanish.body.message).toBe('nombre de usuario o contraseña incorrectos');
    expect(spanish.headers.get('content-language')).toBe('es');
    expect(chinese.body.message).toBe('用户名或密码错误');

    // A validation failure: one line per constraint, field names kept as they are.
    const invalid = await api.call<{ message: string[] }>('POST', '/auth/register', {
      body: { ...registrationBody(), firstName: 'x'.repeat(500), phone: 'call me' },
      headers: { 'accept-language': 'es' },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.message).toEqual(
      expect.arrayContaining(['phone debe estar en formato E.164, p. ej. +12025550123']),
    );
    expect(invalid.body.message.some((line) => /^firstName debe tener como máximo \d+ caracteres$/.test(line))).toBe(
      true,
    );

    // A message with a value in it, from another service.
    const wrongDigit = await api.call<{ message: string }>('GET', '/tracking/9212391234567812345671', {
      headers: { 'accept-language': 'es' },
    });
    expect(wrongDigit.status).toBe(400);
    expect(wrongDigit.body.message).toMatch(/^dígito de control incorrecto: se esperaba \d para un número IMpb$/);
  });

  it('keeps a language on the profile: from sign-up, changeable, and every email goes out in it', async () => {
    const { api, mailpit } = flow;
    // The portal sends the browser's language at sign-up.
    const body = registrationBody({ language: 'es' });
    expect((await api.post('/auth/register', body)).status).toBe(201);
    const code = await emailedCode(mailpit, body.email, 'Su código de verificación de correo electrónico');
    const message = (await mailpit.messages(body.email)).find((m) => m.Subject.startsWith('Su código'))!;
    const text = await mailpit.messageText(message.ID);
    expect(text).toContain('Hola, Jane:');
    expect(text).toContain(`Su código de verificación es ${code}.`);
    expect(text).toMatch(/Caduca el \d{1,2} [a-z]{3}\.? \d{4}/);
    expect(text).toContain('El Servicio Postal');
    expect((await api.post('/auth/verify-email', { username: body.username, code })).status).toBe(204);
    const { accessToken } = await login(api, body.username, body.password);
    const me = await api.get<{ language: string }>('/me', accessToken);
    expect(me.body.language).toBe('es');

    // Changed on the profile: the next notice is in Chinese.
    const changed = await api.call<{ language: string }>('PATCH', '/me', {
      token: accessToken,
      body: { language: 'zh-Hans' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.language).toBe('zh-Hans');
    const refused = await api.call<{ message: string[] }>('PATCH', '/me', {
      token: accessToken,
      body: { language: 'fr' },
    });
    expect(refused.status).toBe(400);
    expect((await api.post('/auth/forgot-username', { email: body.email })).status).toBe(202);
    const reminder = await mailpit.waitForMessage({ to: body.email, subject: '您的用户名' });
    expect(await mailpit.messageText(reminder.ID)).toContain(`您的用户名是 ${body.username}。`);
  });

  it('takes the language from Accept-Language when sign-up does not name one', async () => {
    const { api, mailpit } = flow;
    const body = registrationBody();
    const registered = await api.call('POST', '/auth/register', {
      body,
      headers: { 'accept-language': 'zh-CN,zh;q=0.9' },
    });
    expect(registered.status).toBe(201);
    await mailpit.waitForMessage({ to: body.email, subject: '您的电子邮件验证码' });
  });
  it("answers the newer features' refusals in Spanish and Chinese: an organisation's 404, a quota's 429, a weak password's reasons", async () => {
    const { api, mailpit } = flow;
    const es = { 'accept-language': 'es' };
    const owner = await createUser(api, mailpit);
    const org = await createOrg(api, owner.accessToken, 'Idiomas SA');
    const ownerOrg = await switchTo(api, owner.accessToken, org.id);

    const missing = await api.call<{ statusCode: number; message: string }>('PATCH', '/org/members/nobody', {
      token: ownerOrg,
      body: { role: 'viewer' },
      headers: es,
    });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('no se encontró el miembro');

    // The sixth invitation to one address in a day: the limit and its window said in the language.
    const email = `idiomas_${Date.now()}@example.com`;
    for (let i = 0; i < 5; i++) {
      expect((await api.post('/org/invites', { email, role: 'viewer' }, ownerOrg)).status).toBe(201);
    }
    const invite = (language: string) =>
      api.call<{ message: string; retryAfterSeconds: number }>('POST', '/org/invites', {
        token: ownerOrg,
        body: { email, role: 'viewer' },
        headers: { 'accept-language': language },
      });
    const spanish = await invite('es');
    expect(spanish.status).toBe(429);
    expect(spanish.body.message).toBe(
      'como máximo 5 invitaciones a una misma dirección de correo electrónico en 24 horas; inténtelo más tarde',
    );
    expect(spanish.body.retryAfterSeconds).toBeGreaterThan(0);
    expect((await invite('zh-CN')).body.message).toBe('同一电子邮件地址在 24 小时内最多收到 5 份邀请，请稍后再试');
    expect((await invite('en')).body.message).toBe(
      'at most 5 invitations to one email address in 24 hours; try again later',
    );

    // A weak password: the message and the `reasons` list, with zxcvbn's warning, in Spanish.
    const weak = await api.call<{ message: string[]; reasons: string[] }>('POST', '/auth/register', {
      body: registrationBody({ password: 'qwertyuiopas' }),
      headers: es,
    });
    expect(weak.status).toBe(400);
    expect(weak.body.reasons.length).toBeGreaterThan(0);
    expect(weak.body.reasons).toContainEqual(
      expect.stringMatching(/^es demasiado fácil de adivinar \(seguridad \d de 4/),
    );
    expect(weak.body.message).toContainEqual(expect.stringMatching(/^la contraseña es demasiado fácil de adivinar/));
    expect(JSON.stringify(weak.body)).not.toMatch(/easy to guess/);
  });

  it("prints the label's and the receipt's texts for the customer in the language asked for", async () => {
    const { api, mailpit } = flow;
    const user = await createUser(api, mailpit);
    const label = await createLabel(api, user.accessToken);
    const es = { 'accept-language': 'es' };

    const letterPage = await api.call('GET', `/labels/${label.labelId}/pdf?format=letter`, {
      token: user.accessToken,
      headers: es,
    });
    expect(letterPage.status).toBe(200);
    expect(letterPage.headers.get('content-language')).toBe('es');
    const labelText = pdfText(letterPage.text);
    expect(labelText).toContain('Recorte por la línea discontinua y pegue la etiqueta en el paquete.');
    // What the carrier reads stays English, as on every USPS label.
    expect(labelText).toContain('SHIP TO:');
    expect(labelText).not.toContain('Cut along the dashed line');

    const receipts = await api.call<{ items: { entryId: string; kind: string; description: string }[] }>(
      'GET',
      '/receipts',
      { token: user.accessToken, headers: es },
    );
    const charge = receipts.body.items.find((e) => e.kind === 'label_charge')!;
    expect(charge.description).toBe(`Etiqueta de envío ${label.trackingNumber} (Priority Mail)`);
    const receipt = await api.call('GET', `/receipts/${encodeURIComponent(charge.entryId)}/pdf`, {
      token: user.accessToken,
      headers: es,
    });
    expect(receipt.status).toBe(200);
    const receiptText = pdfText(receipt.text);
    expect(receiptText).toContain(`Número de recibo: ${charge.entryId}`);
    expect(receiptText).toContain('Pagado con: VISA terminada en 4242');
    expect(receiptText).toMatch(/Fecha: \d{1,2} de [a-z]+ de \d{4}/);
  });

  it('names the fields of a 400 and of a taken username (`fields`), each message in the language of the message', async () => {
    const { api, mailpit } = flow;
    const es = { 'accept-language': 'es' };
    type Refusal = { message: string | string[]; fields: { field: string; message: string }[] };
    const invalid = await api.call<Refusal>('POST', '/auth/register', {
      body: { ...registrationBody(), phone: 'call me', firstName: 'x'.repeat(500) },
      headers: es,
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.fields).toEqual(
      expect.arrayContaining([
        { field: 'phone', message: 'phone debe estar en formato E.164, p. ej. +12025550123' },
        expect.objectContaining({ field: 'firstName' }),
      ]),
    );
    // The same lines as `message`, which stays as it was.
    expect(invalid.body.fields.map((f) => f.message)).toEqual(invalid.body.message);

    // The address is checked by the service: its lines name their fields by path too.
    const badAddress = await api.call<Refusal>('POST', '/auth/register', {
      body: registrationBody({ address: { line1: '1 Main St', city: 'Chicago', state: 'IL', zip: '6060' } }),
      headers: es,
    });
    expect(badAddress.status).toBe(400);
    expect(badAddress.body.fields.map((f) => f.field)).toEqual(['address.zip']);
    expect(badAddress.body.fields[0].message).toBe((badAddress.body.message as string[])[0]);

    const taken = await createUser(api, mailpit);
    const again = await api.call<Refusal>('POST', '/auth/register', {
      body: registrationBody({ username: taken.username }),
      headers: { 'accept-language': 'zh-CN' },
    });
    expect(again.status).toBe(409);
    expect(again.body.fields).toEqual([{ field: 'username', message: again.body.message }]);
    expect(again.body.message).not.toBe('username is already taken');

    const weak = await api.call<Refusal>('POST', '/auth/register', {
      body: registrationBody({ password: 'qwertyuiopas' }),
      headers: es,
    });
    expect(weak.body.fields.length).toBeGreaterThan(0);
    expect(weak.body.fields.every((f) => f.field === 'password' && /^la contraseña/.test(f.message))).toBe(true);
  });

  it("says why a parcel's actions are not available in the caller's language, with a code that does not change", async () => {
    const { api, mailpit } = flow;
    const shipper = await createUser(api, mailpit);
    const label = await createLabel(api, shipper.accessToken);
    const options = (language: string) =>
      api.call<{ actions: Record<string, { allowed: boolean; code?: string; reason?: string }> }>(
        'GET',
        `/parcels/${label.trackingNumber}/options`,
        { token: shipper.accessToken, headers: { 'accept-language': language } },
      );
    // Tracking learns the label from LabelCreated (pickup's outbox): until then the parcel is not known there.
    const spanish = await waitFor(async () => ((await options('es')).status === 200 ? options('es') : undefined), {
      timeoutMs: 60_000,
      intervalMs: 500,
      description: 'tracking knows the label',
    });
    expect(spanish.body.actions.redelivery).toEqual({
      allowed: false,
      code: 'not_recipient',
      reason: 'solo el destinatario puede pedir una nueva entrega',
    });
    const chinese = await options('zh-Hans');
    expect(chinese.body.actions.deliveryInstructions).toEqual({
      allowed: false,
      code: 'not_recipient',
      reason: '只有收件人可以提供投递说明',
    });
    expect((await options('en')).body.actions.holdExtension).toMatchObject({
      code: 'not_recipient',
      reason: 'only the recipient may extend the hold',
    });
  });

  it("gives a batch's row problems, its failure, its result CSV and its merged PDF in the language asked for", async () => {
    const { api, mailpit } = flow;
    const user = await createUser(api, mailpit);
    const es = { 'accept-language': 'es' };
    const good: Record<string, string> = {
      from_name: 'ACME WIDGETS',
      from_line1: '1 MAIN ST',
      from_city: 'CHICAGO',
      from_state: 'IL',
      from_zip: '60601',
      to_name: 'ALAN TURING',
      to_line1: '2 ELM ST',
      to_city: 'DENVER',
      to_state: 'CO',
      to_zip: '80202',
      weight_oz: '20',
      service: 'priority',
    };
    const row = (cells: Record<string, string>) => BATCH_CSV_COLUMNS.map((c) => cells[c] ?? '').join(',');
    const csv = [BATCH_CSV_COLUMNS.join(','), row({ ...good, reference: 'B-1' }), row({ ...good, to_zip: '9x' })].join(
      '\n',
    );
    type Batch = {
      status: string;
      errors: { line: number; reason: string }[];
      failure?: { code: string; message: string };
    };
    const upload = async (policy: string) => {
      const queued = await api.call<{ batchId: string }>(
        'POST',
        `/labels/batches?payment=card&paymentMethodId=pm_card_visa&invalidRows=${policy}`,
        { token: user.accessToken, headers: { 'content-type': 'text/csv' }, body: csv },
      );
      expect(queued.status).toBe(202);
      const batchId = queued.body.batchId;
      await waitFor(
        async () => {
          const { body } = await api.get<Batch>(`/labels/batches/${batchId}`, user.accessToken);
          return body.status === 'completed' || body.status === 'failed' ? true : undefined;
        },
        { timeoutMs: 120_000, intervalMs: 500, description: 'batch finished' },
      );
      return batchId;
    };

    const made = await upload('skip');
    const spanish = await api.call<Batch>('GET', `/labels/batches/${made}`, { token: user.accessToken, headers: es });
    expect(spanish.body.status).toBe('completed');
    expect(spanish.body.errors).toMatchObject([{ line: 3, reason: 'to_zip: zip debe tener 5 dígitos o ZIP+4' }]);
    const english = await api.get<Batch>(`/labels/batches/${made}`, user.accessToken);
    expect(english.body.errors[0].reason).toBe('to_zip: zip must be 5 digits or ZIP+4');

    const results = await api.call('GET', `/labels/batches/${made}/labels.csv`, {
      token: user.accessToken,
      headers: es,
    });
    expect(Buffer.from(results.text, 'latin1').toString('utf8')).toContain('to_zip: zip debe tener 5 dígitos o ZIP+4');
    const pdf = await api.call('GET', `/labels/batches/${made}/labels.pdf`, {
      token: user.accessToken,
      headers: { 'accept-language': 'zh-CN' },
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-language')).toBe('zh-Hans');
    expect((await PDFDocument.load(Buffer.from(pdf.text, 'latin1'))).getTitle()).toBe(`批次 ${made} 的运单`);

    const refused = await upload('reject');
    const failed = await api.call<Batch>('GET', `/labels/batches/${refused}`, { token: user.accessToken, headers: es });
    expect(failed.body.failure).toEqual({
      code: 'invalid_rows',
      message: '1 fila no es válida; no se hizo ninguna etiqueta',
    });
  });

  it("names the stamps in the language of the request, and in the order email in the account's", async () => {
    const { api, mailpit } = flow;
    const catalogue = (language: string) =>
      api.call<{ items: { sku: string; name: string; unit: string }[] }>('GET', '/stamps', {
        headers: { 'accept-language': language },
      });
    const sheet = (items: { sku: string; name: string; unit: string }[]) =>
      items.find((i) => i.sku === 'FOREVER-SHEET-20');
    expect(sheet((await catalogue('es')).body.items)).toMatchObject({
      name: 'Sellos Forever, pliego de 20',
      unit: 'pliego de 20',
    });
    expect(sheet((await catalogue('zh-CN')).body.items)?.name).toBe('Forever 永久邮票，20 枚一版');
    expect(sheet((await catalogue('en')).body.items)?.name).toBe('Forever stamps, sheet of 20');

    // A Spanish-speaking account (its verification email is in Spanish too).
    const body = registrationBody({ language: 'es' });
    expect((await api.post('/auth/register', body)).status).toBe(201);
    const code = await emailedCode(mailpit, body.email, 'Su código de verificación de correo electrónico');
    expect((await api.post('/auth/verify-email', { username: body.username, code })).status).toBe(204);
    const { accessToken } = await login(api, body.username, body.password);
    const address = await createAddress(api, accessToken);
    const order = await createOrder(api, accessToken, address.id, [{ sku: 'FOREVER-SHEET-20', quantity: 1 }]);
    const listed = await api.call<{ items: { items: { name: string }[] }[] }>('GET', '/orders', {
      token: accessToken,
      headers: { 'accept-language': 'es' },
    });
    expect(listed.body.items[0].items[0].name).toBe('Sellos Forever, pliego de 20');
    const email = await mailpit.waitForMessage({ to: body.email, subject: `Recibo de su pedido ${order.orderId}` });
    expect(await mailpit.messageText(email.ID)).toContain('Sellos Forever, pliego de 20');
  });
});
