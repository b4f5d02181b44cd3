import type { CityCode } from './centers';
import type { SeededRandom } from './random';

const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁郑谢宋唐许邓冯韩曹曾彭肖蔡潘田董袁于余叶蒋杜苏魏程吕丁沈任姚卢钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江薛尹段雷黎史龙陶贺顾毛郝龚邵万钱严赖覃洪武莫孔'];
const GIVEN = [...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂华建国志文斌宇浩凯健俊帆鹏辉玲婷雪琳晨欣怡佳梓子轩嘉雨思诗梦涵晓海波峰家荣锦添永达少冬美玉燕'];
// China Unicom mobile prefixes.
const MOBILE_PREFIXES = ['130', '131', '132', '155', '156', '166', '175', '176', '185', '186'];
const DISTRICTS: Record<CityCode, readonly string[]> = {
  gz: ['440103', '440104', '440105', '440106', '440111', '440112', '440113'],
  sz: ['440303', '440304', '440305', '440306', '440307'],
  fs: ['440604', '440605', '440606', '440607'],
};
export const AREA_CODES: Record<CityCode, string> = { gz: '020', sz: '0755', fs: '0757' };

export function chineseName(random: SeededRandom): string {
  const given = random.chance(0.6) ? random.pick(GIVEN) + random.pick(GIVEN) : random.pick(GIVEN);
  return random.pick(SURNAMES) + given;
}

/** An 18-digit resident ID number of the city, with a valid ISO 7064 MOD 11-2 check character. */
export function idNumber(random: SeededRandom, city: CityCode): string {
  const birth = `${random.int(1950, 2004)}${String(random.int(1, 12)).padStart(2, '0')}${String(random.int(1, 28)).padStart(2, '0')}`;
  const body = random.pick(DISTRICTS[city]) + birth + random.digits(3);
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((total, digit, i) => total + Number(digit) * weights[i], 0);
  return body + '10X98765432'[sum % 11];
}

export function mobileNumber(random: SeededRandom): string {
  return random.pick(MOBILE_PREFIXES) + random.digits(8);
}

/** A fixed-line number of the city: area code and eight digits, the first of them not 0 or 1. */
export function fixedNumber(random: SeededRandom, city: CityCode): string {
  return AREA_CODES[city] + String(random.int(2, 8)) + random.digits(7);
}

/** Draws from `make` until the value is new to `taken`, so numbers stay unique across the whole data set. */
export function unique(taken: Set<string>, make: () => string): string {
  for (;;) {
    const value = make();
    if (!taken.has(value)) {
      taken.add(value);
      return value;
    }
  }
}
