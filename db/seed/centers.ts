export interface Center {
  code: string;
  name: string;
  tier: 'national' | 'province' | 'city';
  parent_code: string | null;
}

/** The demo organisation: the national center, 广东 and three of its cities. */
export const CENTERS: readonly Center[] = [
  { code: 'cn', name: '全国客户服务中心', tier: 'national', parent_code: null },
  { code: 'gd', name: '广东省客户服务中心', tier: 'province', parent_code: 'cn' },
  { code: 'gz', name: '广州市客户服务中心', tier: 'city', parent_code: 'gd' },
  { code: 'sz', name: '深圳市客户服务中心', tier: 'city', parent_code: 'gd' },
  { code: 'fs', name: '佛山市客户服务中心', tier: 'city', parent_code: 'gd' },
];

export type CityCode = 'gz' | 'sz' | 'fs';
