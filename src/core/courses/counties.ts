import { COUNTIES, type County } from '../domain';

/**
 * Counties of Zhaotong that share a border (from the administrative map). Kept symmetric; a unit test
 * checks that. The Jinsha River separates Qiaojia, Yongshan and Suijiang from Sichuan, not from each other.
 */
export const COUNTY_NEIGHBOURS: Readonly<Record<County, readonly County[]>> = {
  zhaoyang: ['ludian', 'qiaojia', 'yongshan', 'daguan', 'yiliang'],
  ludian: ['zhaoyang', 'qiaojia'],
  qiaojia: ['ludian', 'zhaoyang', 'yongshan'],
  yongshan: ['qiaojia', 'zhaoyang', 'daguan', 'yanjin', 'suijiang'],
  suijiang: ['yongshan', 'yanjin', 'shuifu'],
  shuifu: ['suijiang', 'yanjin'],
  yanjin: ['shuifu', 'suijiang', 'yongshan', 'daguan', 'yiliang'],
  daguan: ['zhaoyang', 'yongshan', 'yanjin', 'yiliang'],
  yiliang: ['zhaoyang', 'daguan', 'yanjin', 'weixin', 'zhenxiong'],
  zhenxiong: ['yiliang', 'weixin'],
  weixin: ['zhenxiong', 'yiliang'],
};

function hopsFrom(start: County): Map<County, number> {
  const hops = new Map<County, number>([[start, 0]]);
  const queue: County[] = [start];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    const d = hops.get(next) ?? 0;
    for (const n of COUNTY_NEIGHBOURS[next]) {
      if (!hops.has(n)) {
        hops.set(n, d + 1);
        queue.push(n);
      }
    }
  }
  return hops;
}

const HOPS = new Map<County, Map<County, number>>(COUNTIES.map((c) => [c, hopsFrom(c)]));

/** Border crossings between two counties: 0 same, 1 neighbours, 2 one county in between … */
export function countyDistance(a: County, b: County): number {
  return HOPS.get(a)?.get(b) ?? COUNTIES.length;
}
