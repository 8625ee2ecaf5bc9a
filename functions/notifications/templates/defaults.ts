import type { Language, MessageType, Role } from '../domain/model';

/**
 * The default templates, versioned with the code (bump `version` when a text changes; a template stored in DynamoDB
 * with a higher version overrides the default of the same type, role, language and channel).
 *
 * Per language: `subject` (e-mail subject, in-app title), `body` (the e-mail text: paragraphs separated by a blank
 * line; the HTML part is built from it with every value escaped) and `short` (SMS and in-app body: keep it within
 * one or two SMS segments). Handlebars syntax; `{{mask x}}` shows an identifier masked, `{{money amount}}` formats
 * an amount. Data never holds a secret, a PIN or an OTP; links carry signed tokens only.
 * `zns` names the Zalo ZNS template (approved by Zalo in advance) and which data keys fill its parameters.
 */
export interface TemplateText {
  readonly subject: string;
  readonly body: string;
  readonly short: string;
}

export interface DefaultTemplate {
  readonly version: number;
  readonly role: Role;
  /** Data a preview uses when none is given; also documents what the trigger supplies. */
  readonly sample: Readonly<Record<string, unknown>>;
  readonly text: Readonly<Record<Language, TemplateText>>;
  readonly zns?: { readonly templateId: string; readonly params: readonly string[] };
}

const order = { orderId: 'ord_01JQ4D7Z8K9M2N3P4Q5R6S7T8V', name: 'Rahim', amount: { value: 240000, currency: 'BDT' } };

export const DEFAULT_TEMPLATES: Readonly<Record<MessageType, DefaultTemplate>> = {
  order_confirmation: {
    version: 1, role: 'buyer', sample: { ...order, itemCount: 2, paymentMethod: 'bkash' },
    zns: { templateId: '231001', params: ['name', 'orderId', 'amountText'] },
    text: {
      en: { subject: 'Order {{orderId}} confirmed', body: 'Hello {{name}},\n\nThank you! We received your payment of {{money amount}} by {{paymentMethod}} for order {{orderId}} ({{itemCount}} items).\n\nWe will tell you when it ships.', short: 'Order {{orderId}} confirmed: {{money amount}} paid. We will tell you when it ships.' },
      bn: { subject: 'অর্ডার {{orderId}} নিশ্চিত হয়েছে', body: 'প্রিয় {{name}},\n\nধন্যবাদ! অর্ডার {{orderId}} ({{itemCount}}টি পণ্য)-এর জন্য {{paymentMethod}}-এ {{money amount}} পেমেন্ট পেয়েছি।\n\nপাঠানোর সময় আমরা জানাব।', short: 'অর্ডার {{orderId}} নিশ্চিত: {{money amount}} পরিশোধিত। পাঠানোর সময় জানাব।' },
      vi: { subject: 'Đơn hàng {{orderId}} đã được xác nhận', body: 'Xin chào {{name}},\n\nCảm ơn bạn! Chúng tôi đã nhận {{money amount}} qua {{paymentMethod}} cho đơn {{orderId}} ({{itemCount}} sản phẩm).\n\nChúng tôi sẽ báo khi đơn được gửi đi.', short: 'Đơn {{orderId}} đã xác nhận: đã thanh toán {{money amount}}.' },
    },
  },
  payment_failed: {
    version: 1, role: 'buyer', sample: { ...order, reason: 'INSUFFICIENT_FUNDS', reasonText: 'the wallet balance was too low', methods: 'bkash, nagad' },
    zns: { templateId: '231002', params: ['name', 'orderId', 'reasonText'] },
    text: {
      en: { subject: 'Payment for order {{orderId}} did not go through', body: 'Hello {{name}},\n\nYour payment of {{money amount}} for order {{orderId}} failed: {{reasonText}}.\n\nYou can pay again with another method: {{methods}}.', short: 'Payment for {{orderId}} failed ({{reasonText}}). Try again with {{methods}}.' },
      bn: { subject: 'অর্ডার {{orderId}}-এর পেমেন্ট সফল হয়নি', body: 'প্রিয় {{name}},\n\nঅর্ডার {{orderId}}-এর {{money amount}} পেমেন্ট ব্যর্থ হয়েছে: {{reasonText}}।\n\nঅন্য পদ্ধতিতে আবার চেষ্টা করুন: {{methods}}।', short: 'অর্ডার {{orderId}}-এর পেমেন্ট ব্যর্থ ({{reasonText}})। আবার চেষ্টা করুন: {{methods}}।' },
      vi: { subject: 'Thanh toán đơn {{orderId}} không thành công', body: 'Xin chào {{name}},\n\nThanh toán {{money amount}} cho đơn {{orderId}} không thành công: {{reasonText}}.\n\nBạn có thể thanh toán lại bằng: {{methods}}.', short: 'Thanh toán đơn {{orderId}} thất bại ({{reasonText}}). Thử lại: {{methods}}.' },
    },
  },
  shipment_update: {
    version: 1, role: 'buyer', sample: { ...order, carrier: 'pathao', trackingNumber: 'DL121224VS8TTJ', status: 'in_transit' },
    zns: { templateId: '231003', params: ['orderId', 'status', 'trackingNumber'] },
    text: {
      en: { subject: 'Order {{orderId}}: {{status}}', body: 'Hello {{name}},\n\nYour order {{orderId}} is now {{status}} with {{carrier}} (tracking {{trackingNumber}}).', short: 'Order {{orderId}} is {{status}} ({{carrier}} {{trackingNumber}}).' },
      bn: { subject: 'অর্ডার {{orderId}}: {{status}}', body: 'প্রিয় {{name}},\n\nআপনার অর্ডার {{orderId}} এখন {{carrier}}-এর কাছে {{status}} (ট্র্যাকিং {{trackingNumber}})।', short: 'অর্ডার {{orderId}}: {{status}} ({{carrier}} {{trackingNumber}})।' },
      vi: { subject: 'Đơn {{orderId}}: {{status}}', body: 'Xin chào {{name}},\n\nĐơn {{orderId}} hiện ở trạng thái {{status}} với {{carrier}} (mã vận đơn {{trackingNumber}}).', short: 'Đơn {{orderId}}: {{status}} ({{carrier}} {{trackingNumber}}).' },
    },
  },
  shipment_delivered: {
    version: 1, role: 'buyer', sample: { ...order, carrier: 'pathao', trackingNumber: 'DL121224VS8TTJ' },
    zns: { templateId: '231004', params: ['name', 'orderId'] },
    text: {
      en: { subject: 'Order {{orderId}} delivered', body: 'Hello {{name}},\n\nYour order {{orderId}} was delivered by {{carrier}}. Enjoy!', short: 'Order {{orderId}} delivered. Enjoy!' },
      bn: { subject: 'অর্ডার {{orderId}} পৌঁছে গেছে', body: 'প্রিয় {{name}},\n\n{{carrier}} আপনার অর্ডার {{orderId}} পৌঁছে দিয়েছে।', short: 'অর্ডার {{orderId}} পৌঁছে গেছে।' },
      vi: { subject: 'Đơn {{orderId}} đã giao', body: 'Xin chào {{name}},\n\n{{carrier}} đã giao đơn {{orderId}} của bạn.', short: 'Đơn {{orderId}} đã được giao.' },
    },
  },
  shipment_delayed: {
    version: 1, role: 'buyer', sample: { ...order, carrier: 'ghn', trackingNumber: 'GHN123456', estimatedDeliveryDate: '2026-03-08' },
    zns: { templateId: '231005', params: ['orderId', 'estimatedDeliveryDate'] },
    text: {
      en: { subject: 'Order {{orderId}} is delayed', body: 'Hello {{name}},\n\nSorry: your order {{orderId}} is delayed with {{carrier}}.{{#if estimatedDeliveryDate}} It should now arrive by {{estimatedDeliveryDate}}.{{/if}}', short: 'Order {{orderId}} is delayed.{{#if estimatedDeliveryDate}} New estimate: {{estimatedDeliveryDate}}.{{/if}}' },
      bn: { subject: 'অর্ডার {{orderId}} দেরি হচ্ছে', body: 'প্রিয় {{name}},\n\nদুঃখিত, {{carrier}}-এর কাছে আপনার অর্ডার {{orderId}} দেরি হচ্ছে।{{#if estimatedDeliveryDate}} নতুন সম্ভাব্য তারিখ {{estimatedDeliveryDate}}।{{/if}}', short: 'অর্ডার {{orderId}} দেরি হচ্ছে।{{#if estimatedDeliveryDate}} নতুন তারিখ: {{estimatedDeliveryDate}}।{{/if}}' },
      vi: { subject: 'Đơn {{orderId}} bị chậm', body: 'Xin chào {{name}},\n\nRất tiếc, đơn {{orderId}} bị chậm với {{carrier}}.{{#if estimatedDeliveryDate}} Dự kiến giao trước {{estimatedDeliveryDate}}.{{/if}}', short: 'Đơn {{orderId}} bị chậm.{{#if estimatedDeliveryDate}} Dự kiến: {{estimatedDeliveryDate}}.{{/if}}' },
    },
  },
  order_cancelled: {
    version: 1, role: 'buyer', sample: { ...order, reason: 'out of stock', refundTimeline: '3-7 business days' },
    zns: { templateId: '231006', params: ['orderId', 'reason'] },
    text: {
      en: { subject: 'Order {{orderId}} cancelled', body: 'Hello {{name}},\n\nYour order {{orderId}} was cancelled: {{reason}}.{{#if amount}}\n\nWhat you paid ({{money amount}}) comes back to you within {{refundTimeline}}.{{/if}}', short: 'Order {{orderId}} cancelled ({{reason}}).{{#if amount}} Refund within {{refundTimeline}}.{{/if}}' },
      bn: { subject: 'অর্ডার {{orderId}} বাতিল হয়েছে', body: 'প্রিয় {{name}},\n\nআপনার অর্ডার {{orderId}} বাতিল হয়েছে: {{reason}}।{{#if amount}}\n\nপরিশোধিত {{money amount}} {{refundTimeline}}-এর মধ্যে ফেরত পাবেন।{{/if}}', short: 'অর্ডার {{orderId}} বাতিল ({{reason}})।{{#if amount}} {{refundTimeline}}-এর মধ্যে টাকা ফেরত।{{/if}}' },
      vi: { subject: 'Đơn {{orderId}} đã hủy', body: 'Xin chào {{name}},\n\nĐơn {{orderId}} đã bị hủy: {{reason}}.{{#if amount}}\n\nSố tiền {{money amount}} sẽ được hoàn trong {{refundTimeline}}.{{/if}}', short: 'Đơn {{orderId}} đã hủy ({{reason}}).{{#if amount}} Hoàn tiền trong {{refundTimeline}}.{{/if}}' },
    },
  },
  refund_succeeded: {
    version: 1, role: 'buyer', sample: { ...order, reason: 'damaged item', refundTimeline: '3-7 business days' },
    zns: { templateId: '231007', params: ['orderId', 'amountText'] },
    text: {
      en: { subject: 'Refund for order {{orderId}}', body: 'Hello {{name}},\n\nWe refunded {{money amount}} for order {{orderId}} ({{reason}}). Your bank or wallet shows it within {{refundTimeline}}.', short: 'Refund of {{money amount}} for {{orderId}} done; it shows within {{refundTimeline}}.' },
      bn: { subject: 'অর্ডার {{orderId}}-এর টাকা ফেরত', body: 'প্রিয় {{name}},\n\nঅর্ডার {{orderId}}-এর {{money amount}} ফেরত দেওয়া হয়েছে ({{reason}})। {{refundTimeline}}-এর মধ্যে আপনার অ্যাকাউন্টে দেখা যাবে।', short: '{{orderId}}-এর {{money amount}} ফেরত দেওয়া হয়েছে; {{refundTimeline}}-এর মধ্যে দেখা যাবে।' },
      vi: { subject: 'Hoàn tiền đơn {{orderId}}', body: 'Xin chào {{name}},\n\nChúng tôi đã hoàn {{money amount}} cho đơn {{orderId}} ({{reason}}). Tiền sẽ về trong {{refundTimeline}}.', short: 'Đã hoàn {{money amount}} cho đơn {{orderId}}; tiền về trong {{refundTimeline}}.' },
    },
  },
  seller_new_order: {
    version: 1, role: 'seller', sample: { orderId: order.orderId, name: 'Dhaka Tees', itemCount: 2, skus: 'TSHIRT-RED-M' },
    text: {
      en: { subject: 'New order {{orderId}}', body: 'Hello {{name}},\n\nNew paid order {{orderId}}: {{itemCount}} items ({{skus}}). Please prepare it for pickup.', short: 'New order {{orderId}}: {{itemCount}} items ({{skus}}). Please prepare it.' },
      bn: { subject: 'নতুন অর্ডার {{orderId}}', body: 'প্রিয় {{name}},\n\nনতুন পরিশোধিত অর্ডার {{orderId}}: {{itemCount}}টি পণ্য ({{skus}})। পিকআপের জন্য প্রস্তুত করুন।', short: 'নতুন অর্ডার {{orderId}}: {{itemCount}}টি পণ্য ({{skus}})। প্রস্তুত করুন।' },
      vi: { subject: 'Đơn hàng mới {{orderId}}', body: 'Xin chào {{name}},\n\nĐơn mới đã thanh toán {{orderId}}: {{itemCount}} sản phẩm ({{skus}}). Vui lòng chuẩn bị hàng.', short: 'Đơn mới {{orderId}}: {{itemCount}} sản phẩm ({{skus}}).' },
    },
  },
  seller_low_stock: {
    version: 1, role: 'seller', sample: { name: 'Dhaka Tees', sku: 'TSHIRT-RED-M', level: 3 },
    text: {
      en: { subject: 'Low stock: {{sku}}', body: 'Hello {{name}},\n\nOnly {{level}} left of {{sku}}. Restock soon to keep selling.', short: 'Low stock: {{level}} left of {{sku}}.' },
      bn: { subject: 'স্টক কম: {{sku}}', body: 'প্রিয় {{name}},\n\n{{sku}}-এর মাত্র {{level}}টি বাকি। শীঘ্রই স্টক বাড়ান।', short: 'স্টক কম: {{sku}}-এর {{level}}টি বাকি।' },
      vi: { subject: 'Sắp hết hàng: {{sku}}', body: 'Xin chào {{name}},\n\nChỉ còn {{level}} sản phẩm {{sku}}. Hãy nhập thêm hàng.', short: 'Sắp hết: còn {{level}} {{sku}}.' },
    },
  },
  seller_payout: {
    version: 1, role: 'seller', sample: { name: 'Dhaka Tees', amount: { value: 1250000, currency: 'BDT' }, payoutId: 'po_20260301', accountMasked: '•••• 6789' },
    text: {
      en: { subject: 'Payout of {{money amount}} sent', body: 'Hello {{name}},\n\nWe sent your payout {{payoutId}} of {{money amount}} to account {{accountMasked}}.', short: 'Payout {{payoutId}}: {{money amount}} sent to {{accountMasked}}.' },
      bn: { subject: '{{money amount}} পেআউট পাঠানো হয়েছে', body: 'প্রিয় {{name}},\n\nআপনার পেআউট {{payoutId}} ({{money amount}}) অ্যাকাউন্ট {{accountMasked}}-এ পাঠানো হয়েছে।', short: 'পেআউট {{payoutId}}: {{money amount}} {{accountMasked}}-এ পাঠানো হয়েছে।' },
      vi: { subject: 'Đã chuyển {{money amount}}', body: 'Xin chào {{name}},\n\nChúng tôi đã chuyển khoản {{payoutId}} ({{money amount}}) vào tài khoản {{accountMasked}}.', short: 'Đã chuyển {{payoutId}}: {{money amount}} vào {{accountMasked}}.' },
    },
  },
  seller_weekly_summary: {
    version: 1, role: 'seller', sample: { name: 'Dhaka Tees', week: '2026-W09', orders: 42, revenue: { value: 5040000, currency: 'BDT' } },
    text: {
      en: { subject: 'Your week {{week}}: {{orders}} orders', body: 'Hello {{name}},\n\nIn week {{week}} you had {{orders}} paid orders worth {{money revenue}}.', short: 'Week {{week}}: {{orders}} orders, {{money revenue}}.' },
      bn: { subject: 'সপ্তাহ {{week}}: {{orders}}টি অর্ডার', body: 'প্রিয় {{name}},\n\nসপ্তাহ {{week}}-এ {{orders}}টি পরিশোধিত অর্ডার, মোট {{money revenue}}।', short: 'সপ্তাহ {{week}}: {{orders}}টি অর্ডার, {{money revenue}}।' },
      vi: { subject: 'Tuần {{week}}: {{orders}} đơn', body: 'Xin chào {{name}},\n\nTuần {{week}} bạn có {{orders}} đơn đã thanh toán, tổng {{money revenue}}.', short: 'Tuần {{week}}: {{orders}} đơn, {{money revenue}}.' },
    },
  },
  seller_milestone: {
    // v2: the count comes as a number (`first` for the first order), so each language words it.
    version: 2, role: 'seller', sample: { name: 'Dhaka Tees', count: 100, first: false },
    text: {
      en: {
        subject: 'Congratulations on {{#if first}}your first paid order{{else}}{{count}} paid orders{{/if}}!',
        body: 'Hello {{name}},\n\nYou reached {{#if first}}your first paid order{{else}}{{count}} paid orders{{/if}}. Thank you for selling with us!',
        short: 'Congratulations: {{#if first}}your first paid order{{else}}{{count}} paid orders{{/if}}!',
      },
      bn: {
        subject: '{{#if first}}প্রথম পরিশোধিত অর্ডারের{{else}}{{count}}টি পরিশোধিত অর্ডারের{{/if}} জন্য অভিনন্দন!',
        body: 'প্রিয় {{name}},\n\nআপনি {{#if first}}প্রথম পরিশোধিত অর্ডার{{else}}{{count}}টি পরিশোধিত অর্ডার{{/if}} ছুঁয়েছেন। আমাদের সাথে থাকার জন্য ধন্যবাদ!',
        short: 'অভিনন্দন: {{#if first}}প্রথম পরিশোধিত অর্ডার{{else}}{{count}}টি পরিশোধিত অর্ডার{{/if}}!',
      },
      vi: {
        subject: 'Chúc mừng {{#if first}}đơn hàng đã thanh toán đầu tiên{{else}}{{count}} đơn hàng đã thanh toán{{/if}}!',
        body: 'Xin chào {{name}},\n\nBạn đã đạt {{#if first}}đơn hàng đã thanh toán đầu tiên{{else}}{{count}} đơn hàng đã thanh toán{{/if}}. Cảm ơn bạn đã bán hàng cùng chúng tôi!',
        short: 'Chúc mừng: {{#if first}}đơn hàng đầu tiên{{else}}{{count}} đơn hàng{{/if}}!',
      },
    },
  },
  account_verification: {
    version: 1, role: 'buyer', sample: { name: 'Rahim', link: 'https://shop.example/verify?token=SIGNED', expiresInHours: 24 },
    text: {
      en: { subject: 'Confirm your e-mail address', body: 'Hello {{name}},\n\nConfirm your address with this link (valid {{expiresInHours}} hours):\n\n{{link}}\n\nIf you did not register, ignore this message.', short: 'Confirm your account: {{link}}' },
      bn: { subject: 'আপনার ই-মেইল নিশ্চিত করুন', body: 'প্রিয় {{name}},\n\nএই লিংকে ঠিকানা নিশ্চিত করুন ({{expiresInHours}} ঘণ্টা বৈধ):\n\n{{link}}\n\nআপনি নিবন্ধন না করে থাকলে এটি উপেক্ষা করুন।', short: 'অ্যাকাউন্ট নিশ্চিত করুন: {{link}}' },
      vi: { subject: 'Xác nhận địa chỉ e-mail', body: 'Xin chào {{name}},\n\nXác nhận địa chỉ của bạn qua liên kết (hiệu lực {{expiresInHours}} giờ):\n\n{{link}}\n\nNếu bạn không đăng ký, hãy bỏ qua thư này.', short: 'Xác nhận tài khoản: {{link}}' },
    },
  },
  password_reset: {
    version: 1, role: 'buyer', sample: { name: 'Rahim', link: 'https://shop.example/reset?token=SIGNED', expiresInMinutes: 30 },
    text: {
      en: { subject: 'Reset your password', body: 'Hello {{name}},\n\nSomeone asked to reset your password. This link works for {{expiresInMinutes}} minutes:\n\n{{link}}\n\nIf it was not you, ignore this message: your password stays as it is.', short: 'Reset your password ({{expiresInMinutes}} min): {{link}}' },
      bn: { subject: 'পাসওয়ার্ড রিসেট করুন', body: 'প্রিয় {{name}},\n\nপাসওয়ার্ড রিসেটের অনুরোধ এসেছে। লিংকটি {{expiresInMinutes}} মিনিট বৈধ:\n\n{{link}}\n\nআপনি না চাইলে উপেক্ষা করুন।', short: 'পাসওয়ার্ড রিসেট ({{expiresInMinutes}} মিনিট): {{link}}' },
      vi: { subject: 'Đặt lại mật khẩu', body: 'Xin chào {{name}},\n\nCó yêu cầu đặt lại mật khẩu. Liên kết có hiệu lực {{expiresInMinutes}} phút:\n\n{{link}}\n\nNếu không phải bạn, hãy bỏ qua thư này.', short: 'Đặt lại mật khẩu ({{expiresInMinutes}} phút): {{link}}' },
    },
  },
  new_device_login: {
    version: 1, role: 'buyer', sample: { name: 'Rahim', device: 'Chrome on Android', location: 'Dhaka, BD', at: '2026-03-01 10:00 UTC' },
    text: {
      en: { subject: 'New sign-in to your account', body: 'Hello {{name}},\n\nYour account was used on a new device: {{device}} ({{location}}) at {{at}}.\n\nIf this was not you, reset your password now.', short: 'New sign-in: {{device}}, {{location}}, {{at}}. Not you? Reset your password.' },
      bn: { subject: 'নতুন ডিভাইসে লগইন', body: 'প্রিয় {{name}},\n\nনতুন ডিভাইসে লগইন হয়েছে: {{device}} ({{location}}), {{at}}।\n\nআপনি না হলে এখনই পাসওয়ার্ড বদলান।', short: 'নতুন লগইন: {{device}}, {{location}}, {{at}}।' },
      vi: { subject: 'Đăng nhập từ thiết bị mới', body: 'Xin chào {{name}},\n\nTài khoản của bạn vừa đăng nhập trên thiết bị mới: {{device}} ({{location}}) lúc {{at}}.\n\nNếu không phải bạn, hãy đổi mật khẩu ngay.', short: 'Đăng nhập mới: {{device}}, {{location}}, {{at}}.' },
    },
  },
  promotion: {
    version: 1, role: 'buyer', sample: { name: 'Rahim', headline: 'Eid sale: 20% off panjabis', details: 'Until 10 April, on every panjabi in the shop.' },
    text: {
      en: { subject: '{{headline}}', body: 'Hello {{name}},\n\n{{headline}}\n\n{{details}}', short: '{{headline}}' },
      bn: { subject: '{{headline}}', body: 'প্রিয় {{name}},\n\n{{headline}}\n\n{{details}}', short: '{{headline}}' },
      vi: { subject: '{{headline}}', body: 'Xin chào {{name}},\n\n{{headline}}\n\n{{details}}', short: '{{headline}}' },
    },
  },
};
