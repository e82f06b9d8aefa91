import {
  BadRequestException,
  type CallHandler,
  type ExecutionContext,
  HttpException,
  HttpStatus,
  Injectable,
  type NestInterceptor,
  ServiceUnavailableException,
} from '@nestjs/common';
import { catchError, type Observable, throwError } from 'rxjs';
import {
  PaymentDeclinedError,
  PaymentProviderUnavailableError,
  PaymentRequestError,
  WebhookSignatureError,
} from './payment-provider';

/** The seam's errors as HTTP answers: declined 402 (with Stripe's codes), bad request 400, outage 503. */
export function toHttpError(error: unknown): unknown {
  if (error instanceof PaymentDeclinedError) {
    return new HttpException(
      {
        statusCode: HttpStatus.PAYMENT_REQUIRED,
        error: 'Payment Required',
        message: `the card was declined: ${error.message}`,
        code: error.code,
        declineCode: error.declineCode,
      },
      HttpStatus.PAYMENT_REQUIRED,
    );
  }
  if (error instanceof PaymentRequestError) {
    return new BadRequestException(`the payment provider refused the request: ${error.message}`);
  }
  if (error instanceof PaymentProviderUnavailableError) {
    return new ServiceUnavailableException(
      'the payment provider is unavailable; nothing was charged twice: retry with the same Idempotency-Key',
    );
  }
  if (error instanceof WebhookSignatureError) {
    return new BadRequestException(`webhook signature check failed: ${error.message}`);
  }
  return error;
}

@Injectable()
export class PaymentErrorsInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(catchError((error: unknown) => throwError(() => toHttpError(error))));
  }
}
