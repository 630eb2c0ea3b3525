import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartConfiguration } from 'chart.js';
import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { AccountCard } from '../../../server/customers/service.js';
import { kaliningradDay } from '../../../server/appeals/rules.js';
import { month, rubles } from '../format.js';
import { messages, type Lang } from '../i18n/index.js';

// Only the pieces this chart uses, so the bundle does not carry all of Chart.js.
Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend);

/** One billing month as the card shows it: what was used and charged, and what was paid in it. */
export interface UsageMonth {
  period: string;
  kwhDay: number | null;
  kwhNight: number | null;
  chargedKop: number | null;
  paidKop: number;
}

/**
 * Charges and payments joined by month, oldest first. A payment counts in the Kaliningrad month
 * it was made (paidAt is a UTC instant: 23:30 UTC on the 31st is already the next month there).
 */
export function usageByMonth(charges: AccountCard['charges'], payments: AccountCard['payments']): UsageMonth[] {
  const months = new Map<string, UsageMonth>();
  const at = (period: string) => {
    let m = months.get(period);
    if (m === undefined) months.set(period, (m = { period, kwhDay: null, kwhNight: null, chargedKop: null, paidKop: 0 }));
    return m;
  };
  for (const c of charges) Object.assign(at(c.period), { kwhDay: c.kwhDay, kwhNight: c.kwhNight, chargedKop: c.amountKop });
  for (const p of payments) at(kaliningradDay(new Date(p.paidAt)).slice(0, 7)).paidKop += p.amountKop;
  return [...months.values()].sort((a, b) => a.period.localeCompare(b.period));
}

const COLORS = { charged: '#6b87b5', paid: '#74a883', kwh: '#c0832e', grid: '#e3e7ed', text: '#4a5563' };

/**
 * A small chart of the card's months: charged and paid roubles as bars, consumption in kWh as a
 * line on its own axis. It draws without animation so the card is complete when it is painted.
 */
@customElement('cc-usage-chart')
export class CcUsageChart extends LitElement {
  @property({ attribute: false }) charges: AccountCard['charges'] = [];
  @property({ attribute: false }) payments: AccountCard['payments'] = [];
  @property() override lang: Lang = 'ru';

  private chart: Chart | undefined;

  static override styles = css`
    :host { display: block; }
    .frame { position: relative; height: 190px; }
    canvas { display: block; }
  `;

  override render() {
    return html`<div class="frame"><canvas role="img" aria-label=${messages(this.lang).card.chart}></canvas></div>`;
  }

  override updated() {
    this.draw();
  }

  override connectedCallback() {
    super.connectedCallback();
    // Moved in the DOM: the chart was destroyed on disconnect and no property changed to redraw it.
    if (this.hasUpdated && this.chart === undefined) this.draw();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    // Chart.js keeps a ResizeObserver and listeners on the canvas: release them with the element.
    this.chart?.destroy();
    this.chart = undefined;
  }

  private draw() {
    const canvas = this.renderRoot.querySelector('canvas');
    if (canvas === null) return;
    const config = this.config();
    if (this.chart === undefined) {
      this.chart = new Chart(canvas, config);
    } else {
      this.chart.data = config.data;
      this.chart.options = config.options ?? {};
      this.chart.update('none');
    }
  }

  private config(): ChartConfiguration<'bar' | 'line', Array<number | null>, string> {
    const m = messages(this.lang).card;
    const lang = this.lang;
    const months = usageByMonth(this.charges, this.payments);
    const wholeRubles = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'ru-RU', { maximumFractionDigits: 0 });
    return {
      type: 'bar',
      data: {
        labels: months.map((x) => month(x.period, lang)),
        datasets: [
          { type: 'bar', label: m.charged, data: months.map((x) => (x.chargedKop === null ? null : x.chargedKop / 100)), backgroundColor: COLORS.charged, yAxisID: 'rub', order: 2 },
          { type: 'bar', label: m.paid, data: months.map((x) => x.paidKop / 100), backgroundColor: COLORS.paid, yAxisID: 'rub', order: 2 },
          {
            type: 'line', label: m.kwh, yAxisID: 'kwh', order: 1,
            data: months.map((x) => (x.kwhDay === null ? null : x.kwhDay + (x.kwhNight ?? 0))),
            borderColor: COLORS.kwh, backgroundColor: COLORS.kwh, borderWidth: 2, pointRadius: 2, tension: 0.25,
          },
        ],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 12, color: COLORS.text, font: { size: 11 } } },
          tooltip: {
            callbacks: {
              label: (item) => {
                const v = item.parsed.y;
                if (v === null) return `${item.dataset.label ?? ''}: —`;
                return item.dataset.yAxisID === 'kwh' ? `${item.dataset.label ?? ''}: ${v}` : `${item.dataset.label ?? ''}: ${rubles(Math.round(v * 100), lang)}`;
              },
            },
          },
        },
        scales: {
          x: { grid: { display: false }, ticks: { color: COLORS.text, font: { size: 10 }, maxRotation: 0, autoSkipPadding: 6 } },
          rub: { position: 'left', beginAtZero: true, grid: { color: COLORS.grid }, ticks: { color: COLORS.text, font: { size: 10 }, callback: (v) => `${wholeRubles.format(Number(v))} ₽` } },
          kwh: { position: 'right', beginAtZero: true, grid: { display: false }, ticks: { color: COLORS.kwh, font: { size: 10 } } },
        },
      },
    };
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cc-usage-chart': CcUsageChart;
  }
}
