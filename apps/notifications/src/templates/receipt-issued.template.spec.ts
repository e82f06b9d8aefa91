import { ReceiptIssuedV1, SavedCardChangedV1 } from '@app/contracts';
import type { TemplateContext } from './layout';
import { receiptIssuedTemplate } from './receipt-issued.template';
import { savedCardChangedTemplate } from './saved-card-changed.template';

const ctx: TemplateContext = { firstName: 'Jane', timeZone: 'America/Denver', publicUrl: 'https://portal.example/' };
const receipt = ReceiptIssuedV1.example;

describe('receipt and saved-card notices', () => {
  it('writes the receipt email in English as before', () => {
    const message = receiptIssuedTemplate(receipt, ctx);
    expect(message.subject).toBe('Payment receipt: $29.20');
    expect(message.text).toContain('Stamps order 6650c0ff-ee00-4000-8000-00000000b001: $29.20');
    expect(message.text).toContain('Tax (0%): $0.00');
    expect(message.text).toContain('Paid with: VISA ending 4242');
  });

  it('writes the receipt email, amounts and the ledger description in Spanish', () => {
    const message = receiptIssuedTemplate(receipt, { ...ctx, language: 'es' });
    expect(message.subject).toMatch(/^Recibo de pago: /);
    expect(message.text).toContain('Pedido de sellos 6650c0ff-ee00-4000-8000-00000000b001');
    expect(message.text).toContain('Pagado con: VISA terminada en 4242');
    expect(message.sms).toMatch(/^Servicio Postal: pago de /);
  });

  it('writes the saved-card notice in Chinese', () => {
    const message = savedCardChangedTemplate(SavedCardChangedV1.example, { ...ctx, language: 'zh-Hans' });
    expect(message.subject).toBe('您的账户保存了一张银行卡');
    expect(message.text).toContain('银行卡 尾号 4242 的 VISA 已于');
  });
});
