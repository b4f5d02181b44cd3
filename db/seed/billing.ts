import { chinaDay } from '../chinaTime';
import type { SeededRandom } from './random';

export type ServiceLine = 'mobile' | 'ip' | 'internet' | 'long_distance' | 'paging' | 'local';

export interface Plan {
  line: ServiceLine;
  name: string;
  monthlyFen: number;
}

export const PLANS: Record<ServiceLine, readonly Plan[]> = {
  mobile: [
    { line: 'mobile', name: '沃派 36 元套餐', monthlyFen: 3600 },
    { line: 'mobile', name: '5G 畅爽 59 元套餐', monthlyFen: 5900 },
    { line: 'mobile', name: '冰激凌 99 元套餐', monthlyFen: 9900 },
    { line: 'mobile', name: '冰激凌 199 元套餐', monthlyFen: 19900 },
  ],
  local: [{ line: 'local', name: '市话基本套餐', monthlyFen: 2000 }],
  internet: [
    { line: 'internet', name: '宽带 100M 包月', monthlyFen: 5000 },
    { line: 'internet', name: '宽带 300M 包月', monthlyFen: 8000 },
    { line: 'internet', name: '宽带 1000M 包月', monthlyFen: 12000 },
  ],
  ip: [{ line: 'ip', name: 'IP 长途 17911', monthlyFen: 0 }],
  long_distance: [{ line: 'long_distance', name: '国内长途', monthlyFen: 0 }],
  paging: [{ line: 'paging', name: '数字寻呼', monthlyFen: 1500 }],
};

export interface BillItem {
  service_line: ServiceLine;
  item_name: string;
  amount_fen: number;
}

/** One month's charges of one line: its monthly fee plus usage drawn at random. */
export function monthlyItems(random: SeededRandom, plan: Plan): BillItem[] {
  const items: BillItem[] = [];
  const add = (item_name: string, amount_fen: number) => items.push({ service_line: plan.line, item_name, amount_fen });
  if (plan.monthlyFen > 0) add(plan.line === 'mobile' ? '套餐月租费' : '月租费', plan.monthlyFen);
  switch (plan.line) {
    case 'mobile':
      if (random.chance(0.35)) add('套餐外语音通话费', random.int(50, 3000));
      if (random.chance(0.25)) add('套餐外流量费', random.int(100, 5000));
      if (random.chance(0.2)) add('短信费', random.int(10, 300));
      break;
    case 'local':
      add('市话通话费', random.int(200, 3000));
      break;
    case 'ip':
      add('IP 长途通话费', random.int(100, 2000));
      break;
    case 'long_distance':
      add('国内长途通话费', random.int(100, 3000));
      if (random.chance(0.05)) add('国际长途通话费', random.int(500, 8000));
      break;
    case 'internet':
    case 'paging':
      break;
  }
  return items;
}


/** The calendar of the billing system, which runs on Beijing time. */
export function beijingDate(at: Date): { year: number; month: number; day: string } {
  const day = chinaDay(at);
  return { year: Number(day.slice(0, 4)), month: Number(day.slice(5, 7)), day };
}

/** `YYYY-MM` of the month `offset` months after year/month (negative goes back). */
export function monthLabel(year: number, month: number, offset = 0): string {
  const index = year * 12 + (month - 1) + offset;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}
