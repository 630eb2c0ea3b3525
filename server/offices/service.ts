import type { Db } from '../db/database.js';
import { isoNow } from '../db/database.js';
import type { OfficesTable } from '../db/schema.js';
import type { Selectable } from 'kysely';
import { changedValues, writeAudit } from '../audit/service.js';
import { normalizePhone } from '../../ivr/phone-number.js';
import { officeNotFound, officePhoneInvalid } from './errors.js';
import type { OfficeBody, OfficeView } from './schemas.js';

function view(o: Selectable<OfficesTable>): OfficeView {
  return {
    id: o.id, sortOrder: o.sort_order, cityRu: o.city_ru, cityEn: o.city_en, addressRu: o.address_ru, addressEn: o.address_en,
    hoursRu: o.hours_ru, hoursEn: o.hours_en, phone: o.phone,
    towns: o.towns.split(',').map((t) => t.trim()).filter((t) => t !== ''), active: o.active === 1,
  };
}

function row(b: OfficeBody) {
  return {
    sort_order: b.sortOrder, city_ru: b.cityRu.trim(), city_en: b.cityEn.trim(), address_ru: b.addressRu.trim(), address_en: b.addressEn.trim(),
    hours_ru: b.hoursRu.trim(), hours_en: b.hoursEn.trim(), phone: b.phone.trim(),
    towns: [...new Set(b.towns.map((t) => t.trim()))].join(', '), active: b.active ? 1 : 0,
  };
}

/**
 * The customer service offices the IVR reads out (reference data): list, add, edit. Each change
 * is audited (`office.create`, `office.update`, subject `office:<id>`) and then `changed` runs:
 * the server re-voices the office sentences there, so the next caller hears the new text at once
 * (the IVR reads the table on every request; the voicing only spares them the synthesizer's wait).
 */
export class OfficeService {
  constructor(private readonly deps: { db: Db; clock: () => number; changed: () => Promise<void> }) {}

  async list(): Promise<OfficeView[]> {
    return (await this.deps.db.selectFrom('offices').selectAll().orderBy('sort_order').orderBy('id').execute()).map(view);
  }

  /** Adds an office; CC_ERR_VALIDATION for a phone that is not a Russian number. */
  async create(actorId: number, body: OfficeBody): Promise<OfficeView> {
    checkPhone(body.phone);
    const created = await this.deps.db.transaction().execute(async (trx) => {
      const office = await trx.insertInto('offices').values(row(body)).returningAll().executeTakeFirstOrThrow();
      const { id, ...after } = view(office);
      await writeAudit(trx, { at: isoNow(this.deps.clock), actorId, action: 'office.create', subject: `office:${id}`, before: null, after });
      return view(office);
    });
    await this.deps.changed();
    return created;
  }

  /** Replaces an office's fields; CC_ERR_OFFICE_NOT_FOUND, CC_ERR_VALIDATION (the phone) leave everything as it was. */
  async update(actorId: number, id: number, body: OfficeBody): Promise<OfficeView> {
    checkPhone(body.phone);
    const updated = await this.deps.db.transaction().execute(async (trx) => {
      const old = await trx.selectFrom('offices').selectAll().where('id', '=', id).executeTakeFirst();
      if (old === undefined) throw officeNotFound(id);
      const office = await trx.updateTable('offices').set(row(body)).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
      const [before, after] = changedValues(view(old), view(office));
      if (Object.keys(after).length > 0) await writeAudit(trx, { at: isoNow(this.deps.clock), actorId, action: 'office.update', subject: `office:${id}`, before, after });
      return view(office);
    });
    await this.deps.changed();
    return updated;
  }
}

function checkPhone(phone: string): void {
  if (phone.trim() !== '' && normalizePhone(phone) === null) throw officePhoneInvalid(phone);
}
