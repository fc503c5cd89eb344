import { describe, it, expect } from 'vitest';
import { t, setLang } from '../src/i18n/i18n.js';
import { checkPhotos, intakeForm, canReview, photoView, MAX_PHOTOS, MAX_PHOTO_BYTES } from '../src/shared/media.js';

const jpeg = (name = 'a.jpg', size = 1000) => ({ name, type: 'image/jpeg', size });

describe('photos chosen for a report', () => {
  it('keeps images and refuses other files, HEIC with its own hint', () => {
    const { ok, refused } = checkPhotos([
      jpeg(),
      { name: 'scan.pdf', type: 'application/pdf', size: 10 },
      { name: 'IMG_1.HEIC', type: '', size: 10 },
      { name: 'x.webp', type: '', size: 10 },
    ]);
    expect(ok.map((f) => f.name)).toEqual(['a.jpg', 'x.webp']);
    expect(refused.map((r) => r.why)).toEqual(['media.error.type', 'media.error.heic']);
  });
  it('refuses a photo over the size limit and those past the count', () => {
    const files = Array.from({ length: MAX_PHOTOS + 1 }, (_, i) => jpeg(`${i}.jpg`));
    files.push(jpeg('big.jpg', MAX_PHOTO_BYTES + 1));
    const { ok, refused } = checkPhotos(files);
    expect(ok).toHaveLength(MAX_PHOTOS);
    expect(refused.map((r) => [r.file.name, r.why])).toEqual([
      [`${MAX_PHOTOS}.jpg`, 'media.error.count'],
      ['big.jpg', 'media.error.size'],
    ]);
  });
});

describe('the multipart intake', () => {
  it('sends the report as JSON in "report" and each photo as "photo"', async () => {
    const photo = new File([new Uint8Array([0xff, 0xd8, 0xff])], 'p.jpg', { type: 'image/jpeg' });
    const form = intakeForm({ category: 'X', channel: 'PUBLIC_ONLINE' }, [photo, photo]);
    const report = form.get('report');
    expect(report.type).toBe('application/json');
    expect(JSON.parse(await report.text())).toEqual({ category: 'X', channel: 'PUBLIC_ONLINE' });
    expect(form.getAll('photo')).toHaveLength(2);
  });
});

describe('a photo in the case panel', () => {
  const m = { id: 7, url: '/api/v1/media/7', thumbnailUrl: '/api/v1/media/7/thumbnail', stage: 'AFTER' };
  it('offers approval only to the command centre, and only for a public report', () => {
    expect(canReview(['GRID_WORKER'])).toBe(false);
    expect(photoView({ ...m, publicCase: true }, ['GRID_WORKER']).review).toBeNull();
    expect(photoView({ ...m, publicCase: true }, ['CENTRE_OPERATOR']).review).toBe('approve');
    expect(photoView({ ...m, publicCase: false }, ['CENTRE_OPERATOR']).review).toBeNull();
    expect(photoView({ ...m, publicCase: true, approved: true }, ['CHIEF_COMMANDER']).review).toBe('withdraw');
  });
  it('says when and whether the camera gave a place', () => {
    const v = photoView({ ...m, takenAt: '2026-12-01T01:30:00Z', takenLocation: { lon: 1, lat: 2 } });
    expect(v.located).toBe(true);
    expect(v.takenAt).toBe('2026-12-01T01:30:00Z');
    expect(v.public).toBe(false);
  });
  it('speaks Chinese and English', () => {
    setLang('zh-CN');
    expect(t('media.stage.AFTER')).toBe('处置后');
    expect(t('media.error.count', { name: 'a.jpg', max: 5 })).toContain('5');
    setLang('en');
    expect(t('media.stage.AFTER')).toBe('After');
    setLang('zh-CN');
  });
});
