import { Type } from '@sinclair/typebox';

export const SearchQuery = Type.Object({ q: Type.String({ minLength: 2, maxLength: 100 }) });
export const AccountParams = Type.Object({ accountId: Type.Integer({ minimum: 1 }) });
export const CallParams = Type.Object({ callId: Type.String({ format: 'uuid' }) });
export const LanguageQuery = Type.Object({ lang: Type.Union([Type.Literal('ru'), Type.Literal('en')], { default: 'ru' }) });

export const AccountSummaryView = Type.Object({
  accountId: Type.Integer(), accountNumber: Type.String(), customerId: Type.Integer(), customerName: Type.String(),
  city: Type.String(), address: Type.String(), tariff: Type.String(),
});
