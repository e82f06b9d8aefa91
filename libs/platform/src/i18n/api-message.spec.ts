import { IsInt, IsString, Matches, Max, MaxLength, ValidateNested, validateSync } from 'class-validator';
import { Type, plainToInstance } from 'class-transformer';
import { translateApiMessage } from './api-message';
import { quotaReason } from '../quota/redis-quota';
import { validationFailures } from '../http/validation';

class Inner {
  @IsString() @MaxLength(5) name: string;
}
class Outer {
  @IsInt() @Max(70) weightOz: number;
  @Matches(/^\d{5}$/, { message: 'zip must be 5 digits or ZIP+4' }) zip: string;
  @ValidateNested() @Type(() => Inner) to: Inner;
}

describe('translateApiMessage', () => {
  it('leaves English as thrown', () => {
    expect(translateApiMessage('user not found', 'en')).toBe('user not found');
  });

  it('answers a fixed message in Spanish and Chinese', () => {
    expect(translateApiMessage('invalid username or password', 'es')).toBe(
      'nombre de usuario o contraseña incorrectos',
    );
    expect(translateApiMessage('invalid username or password', 'zh-Hans')).toBe('用户名或密码错误');
  });

  it('carries the values of a message with placeholders over', () => {
    expect(translateApiMessage('label lbl_42 not found', 'es')).toBe('no se encontró la etiqueta lbl_42');
    expect(translateApiMessage('give either from or fromAddressId, not both', 'es')).toBe(
      'indique from o fromAddressId, no ambos',
    );
  });

  it("takes each language's plural form from the count", () => {
    expect(translateApiMessage('labels can be refunded only within 30 days', 'es')).toBe(
      'las etiquetas solo se pueden reembolsar en un plazo de 30 días',
    );
    expect(translateApiMessage('labels can be refunded only within 1 days', 'es')).toBe(
      'las etiquetas solo se pueden reembolsar en un plazo de 1 día',
    );
    expect(translateApiMessage('labels can be refunded only within 30 days', 'zh-Hans')).toBe('标签只能在 30 天内退款');
  });

  it('translates a reason quoted inside a message', () => {
    expect(
      translateApiMessage('trackingNumber: an IMpb tracking number has 20 to 22 digits and starts with 91 to 95', 'es'),
    ).toBe('trackingNumber: un número de rastreo IMpb tiene de 20 a 22 dígitos y empieza por 91 a 95');
  });

  it("translates the password policy's reasons inside their sentence", () => {
    expect(translateApiMessage('password must be at least 12 characters long', 'es')).toBe(
      'la contraseña debe tener al menos 12 caracteres',
    );
    expect(translateApiMessage('password must not contain the username', 'zh-Hans')).toBe('密码不能包含用户名');
    expect(translateApiMessage('the code is wrong or has expired', 'es')).toBe('el código es incorrecto o ha caducado');
  });

  it('keeps a message it has no template for in English', () => {
    expect(translateApiMessage('something only the logs know', 'es')).toBe('something only the logs know');
  });

  it('translates class-validator failures by constraint and field, field names unchanged', () => {
    const dto = plainToInstance(Outer, { weightOz: 71, zip: 'x', to: { name: 'toolong' } });
    const failures = validationFailures(validateSync(dto));
    const es = failures.map((f) => translateApiMessage(f.text, 'es', f.constraint));
    const zh = failures.map((f) => translateApiMessage(f.text, 'zh-Hans', f.constraint));
    expect(es).toEqual([
      'weightOz no debe ser mayor que 70',
      'zip debe tener 5 dígitos o ZIP+4',
      'to.name debe tener como máximo 5 caracteres',
    ]);
    expect(zh).toEqual(['weightOz 不能大于 70', 'zip 必须是 5 位数字或 ZIP+4', 'to.name 最多 5 个字符']);
  });
  it('says a quota refusal and its window in the language (the window is translated on its own)', () => {
    const phone = quotaReason('errors:quota_phone_codes_account', 5, 15 * 60);
    expect(phone).toBe('at most 5 phone verification codes per account in 15 minutes; try again later');
    expect(translateApiMessage(phone, 'es')).toBe(
      'como máximo 5 códigos de verificación telefónica por cuenta en 15 minutos; inténtelo más tarde',
    );
    expect(translateApiMessage(phone, 'zh-Hans')).toBe('每个账户在 15 分钟内最多 5 个手机验证码，请稍后再试');
    const invites = quotaReason('errors:quota_invites_address', 1, 86_400 * 2);
    expect(invites).toBe('at most 1 invitation to one email address in 2 days; try again later');
    expect(translateApiMessage(invites, 'es')).toBe(
      'como máximo 1 invitación a una misma dirección de correo electrónico en 2 días; inténtelo más tarde',
    );
    const letters = quotaReason('errors:quota_letters_address', 3, 86_400);
    expect(letters).toBe('at most 3 verification letters per postal address in 24 hours; try again later');
    expect(translateApiMessage(letters, 'zh-Hans')).toBe('每个邮寄地址在 24 小时内最多 3 封验证信，请稍后再试');
    expect(translateApiMessage(quotaReason('errors:quota_labels_hour', 100), 'es')).toBe(
      'como máximo 100 etiquetas por cuenta por hora; inténtelo más tarde',
    );
  });

  it("translates the password estimator's warning inside the weak-password reason", () => {
    const reason =
      'is too easy to guess (strength 1 of 4, needs 3): Straight rows of keys on your keyboard are easy to guess.';
    expect(translateApiMessage(reason, 'es')).toBe(
      'es demasiado fácil de adivinar (seguridad 1 de 4, se necesita 3): Las filas seguidas de teclas del teclado son fáciles de adivinar.',
    );
    expect(translateApiMessage(`password ${reason}`, 'zh-Hans')).toBe(
      '密码太容易被猜到（强度 1/4，需要 3）：键盘上连成一排的按键很容易被猜到。',
    );
  });

  it('translates the messages of teams, webhooks and manifests', () => {
    expect(translateApiMessage('your role in this organisation (viewer) does not allow this', 'es')).toBe(
      'su función en esta organización (viewer) no permite hacer esto',
    );
    expect(translateApiMessage('at most 10 webhook endpoints per account', 'zh-Hans')).toBe(
      '每个账户最多 10 个 Webhook 端点',
    );
    expect(translateApiMessage('userId is not a user id', 'zh-Hans')).toBe('userId 不是用户 id');
    expect(translateApiMessage('invitation not found, or used already', 'es')).toBe(
      'no se encontró la invitación, o ya se usó',
    );
    expect(translateApiMessage('label(s) already on a manifest: a, b', 'es')).toBe(
      'etiqueta(s) ya incluida(s) en un manifiesto: a, b',
    );
  });

  it('names a federal holiday quoted in a message in the language of the message', () => {
    expect(translateApiMessage('2026-12-25 is a federal holiday (Christmas Day): no pickups', 'es')).toBe(
      '2026-12-25 es festivo federal (Día de Navidad): no hay recogidas',
    );
    expect(
      translateApiMessage("2027-12-31 is a federal holiday (New Year's Day (observed)): no pickups", 'zh-Hans'),
    ).toBe('2027-12-31 是联邦假日（元旦（调休））：不提供上门取件');
    expect(
      translateApiMessage(
        'startDate 2026-11-26 is a federal holiday (Thanksgiving Day): a hold starts on a delivery day',
        'es',
      ),
    ).toBe(
      'startDate 2026-11-26 es festivo federal (Día de Acción de Gracias): una retención empieza en un día de entrega',
    );
  });

  it("gives a batch's file problems and failure with each language's plural", () => {
    expect(translateApiMessage('1 unknown column: "colour"', 'es')).toBe('1 columna desconocida: "colour"');
    expect(translateApiMessage('2 missing columns: to_zip, service', 'zh-Hans')).toBe('缺少 2 列：to_zip, service');
    expect(translateApiMessage('3 rows are invalid; no labels were made', 'es')).toBe(
      '3 filas no son válidas; no se hizo ninguna etiqueta',
    );
    expect(translateApiMessage('the CSV has a header but no rows', 'zh-Hans')).toBe('CSV 只有表头，没有数据行');
  });
});
