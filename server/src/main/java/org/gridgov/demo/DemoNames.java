package org.gridgov.demo;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Chinese names for the demo: communities, villages and people. Deterministic for a random source.
 */
final class DemoNames {

    private DemoNames() {}

    static final String[] URBAN = {
        "东风", "江南", "春晓", "明珠", "滨河", "长河", "星光", "浦沿", "阳光", "建设", "新华", "和平",
        "文苑", "锦绣", "天街", "丹枫", "白马", "彩虹", "钱塘", "西兴", "月明", "江虹", "秋水", "缤纷",
        "之江", "湘湖", "闻涛", "景和", "宏图", "育才", "春波", "滨文"
    };

    static final String[] VILLAGE = {
        "联庄", "杨家", "塘头", "孔家埭", "湖头陈", "冠山", "山一", "东冠", "新生", "跃进", "永丰", "金山",
        "回龙", "沙墩", "青龙", "石塘", "桃源", "荷花", "东湖", "南阳", "许家", "河西", "六合", "汤家桥",
        "长安", "新联", "星民", "勤丰", "半爿山", "里河", "张家", "协同"
    };

    // Most common surnames first; picked with a bias towards the front of the list.
    private static final String SURNAMES =
            "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
                    + "于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
                    + "万钱严覃武戴莫孔向汤";
    private static final String GIVEN =
            "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉力斌宇浩凯鹏"
                    + "晨婷雪琳欣怡佳宁海峰俊鑫波龙云飞慧颖晓燕志梅丹亮彬雷雯倩瑶嘉欢子轩梓涵浩然思远雨桐一诺";

    static String person(SplittableRandom r) {
        double u = r.nextDouble();
        int si = (int) (u * u * SURNAMES.length());
        StringBuilder sb = new StringBuilder(3).append(SURNAMES.charAt(si));
        int n = r.nextDouble() < 0.7 ? 2 : 1;
        for (int i = 0; i < n; i++) sb.append(GIVEN.charAt(r.nextInt(GIVEN.length())));
        return sb.toString();
    }

    /** '13x' / '15x' / '18x' followed by 8 digits, unique within {@code used}. */
    static String phone(SplittableRandom r, Set<String> used) {
        String[] prefixes = {
            "138", "139", "137", "136", "135", "158", "159", "150", "188", "189", "186", "177"
        };
        while (true) {
            String p =
                    prefixes[r.nextInt(prefixes.length)]
                            + String.format("%08d", r.nextInt(100_000_000));
            if (used.add(p)) return p;
        }
    }

    /** n distinct names from the pool in a seeded order. */
    static List<String> pick(String[] pool, int n, SplittableRandom r) {
        List<String> list = new ArrayList<>(List.of(pool));
        for (int i = list.size() - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            String t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
        if (n <= list.size()) return new ArrayList<>(list.subList(0, n));
        List<String> out = new ArrayList<>(list);
        Set<String> seen = new HashSet<>(out);
        for (int k = 2; out.size() < n; k++) {
            for (String s : list) {
                if (out.size() >= n) break;
                String v = s + k;
                if (seen.add(v)) out.add(v);
            }
        }
        return out;
    }
}
