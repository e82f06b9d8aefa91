import { IsInt, IsString, Matches, Max, MaxLength, ValidateNested, validateSync } from 'class-validator';
import { Type, plainToInstance } from 'class-transformer';
import { translateApiMessage } from './api-message';
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
    ).toBe('trackingNumber: un número de seguimiento IMpb tiene de 20 a 22 dígitos y empieza por 91 a 95');
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
});
