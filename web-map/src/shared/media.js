// Photos of cases (docs/media.md), the rules the screens apply before sending — the server checks
// again, by the files' content — and the shapes they show. No DOM here: tested by Vitest.
import { defineMessages } from '../i18n/i18n.js';

/** The types the server takes (by content); a browser names them by extension and declared type. */
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

/** The server's default limits (GRIDGOV_MEDIA_MAX_MB, GRIDGOV_MEDIA_MAX_PER_REQUEST). */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
export const MAX_PHOTOS = 5;

/** The roles that approve a photo for the public (the command centre). */
export const REVIEWERS = ['CENTRE_OPERATOR', 'CENTRE_DIRECTOR', 'CHIEF_COMMANDER'];

/** The stages staff send photos at (REPORT is the report's own). */
export const STAGES = ['BEFORE', 'AFTER', 'VERIFICATION', 'OTHER'];

const EXTENSIONS = /\.(jpe?g|png|webp)$/i;
const HEIF = /\.(heic|heif)$/i;

/**
 * Sorts chosen files ({name, type, size}) into those to send and those refused, each refused with
 * the message key saying why; at most `max` are kept, in the order chosen.
 */
export function checkPhotos(files, { maxBytes = MAX_PHOTO_BYTES, max = MAX_PHOTOS } = {}) {
  const ok = [];
  const refused = [];
  for (const f of files) {
    let why = null;
    if (HEIF.test(f.name ?? '') || /heic|heif/i.test(f.type ?? '')) why = 'media.error.heic';
    else if (!PHOTO_TYPES.includes(f.type) && !EXTENSIONS.test(f.name ?? '')) why = 'media.error.type';
    else if (f.size > maxBytes) why = 'media.error.size';
    else if (ok.length >= max) why = 'media.error.count';
    if (why) refused.push({ file: f, why });
    else ok.push(f);
  }
  return { ok, refused };
}

/** A multipart intake: the report's JSON in the part "report", the photos in parts "photo". */
export function intakeForm(report, photos) {
  const form = new FormData();
  form.append('report', new Blob([JSON.stringify(report)], { type: 'application/json' }));
  for (const p of photos) form.append('photo', p, p.name);
  return form;
}

/** Whether these roles may approve or withdraw photos. */
export function canReview(roles = []) {
  return roles.some((r) => REVIEWERS.includes(r));
}

/**
 * What the case panel shows of one photo (from GET /api/v1/incidents/{id}/media): its stage, when
 * the camera says it was taken, whether the public sees it, and the review it may get — approve
 * (a public report's photo not yet public), withdraw (a public one), or none.
 */
export function photoView(m, roles = []) {
  const review = !canReview(roles) ? null : m.approved ? 'withdraw' : m.publicCase ? 'approve' : null;
  return {
    id: m.id,
    thumbnail: m.thumbnailUrl,
    url: m.url,
    stage: m.stage,
    takenAt: m.takenAt ?? null,
    located: m.takenLocation != null,
    public: Boolean(m.approved),
    review,
  };
}

defineMessages('media', {
  'zh-CN': {
    photos: '照片',
    none: '暂无照片',
    attach: '附加照片（JPEG、PNG、WebP，最多 {max} 张，每张不超过 {mb} MB）',
    'stage.REPORT': '上报',
    'stage.BEFORE': '处置前',
    'stage.AFTER': '处置后',
    'stage.VERIFICATION': '核查',
    'stage.OTHER': '其他',
    taken: '拍摄于 {time}',
    located: '含拍摄位置',
    public: '已公开',
    private: '未公开',
    approve: '公开',
    withdraw: '撤回',
    'error.type': '{name}：不是 JPEG、PNG 或 WebP 图片',
    'error.heic': '{name}：HEIC 照片无法读取，请以 JPEG 格式发送（iPhone：设置 > 相机 > 格式 > 兼容性最佳）',
    'error.size': '{name}：超过 {mb} MB',
    'error.count': '{name}：每次最多 {max} 张',
  },
  en: {
    photos: 'Photos',
    none: 'No photos',
    attach: 'Attach photos (JPEG, PNG, WebP; up to {max}, each at most {mb} MB)',
    'stage.REPORT': 'Report',
    'stage.BEFORE': 'Before',
    'stage.AFTER': 'After',
    'stage.VERIFICATION': 'Verification',
    'stage.OTHER': 'Other',
    taken: 'Taken {time}',
    located: 'with position',
    public: 'Public',
    private: 'Not public',
    approve: 'Publish',
    withdraw: 'Withdraw',
    'error.type': '{name}: not a JPEG, PNG or WebP image',
    'error.heic':
      '{name}: HEIC photos cannot be read; send JPEG (iPhone: Settings > Camera > Formats > Most Compatible)',
    'error.size': '{name}: larger than {mb} MB',
    'error.count': '{name}: at most {max} at a time',
  },
});
