import type { TrackingEventCode } from '../../tracking/scan-codes';

/** Simplified Chinese descriptions of the scan codes, for the API's notices and the web portal alike. */
export const SCANS_ZH_HANS: Readonly<Record<TrackingEventCode, string>> = {
  label_created: '运单标签已创建，等待收件',
  accepted: '邮局已收寄',
  picked_up: '投递员已取件',
  processed: '已在处理中心处理',
  arrived_at_facility: '已到达处理中心',
  departed_facility: '已离开处理中心',
  in_transit: '正在运往下一个处理中心',
  out_for_delivery: '正在派送',
  available_for_pickup: '已到达邮局，可以取件',
  delivered: '已送达',
  delivery_attempted: '投递未成功，已留下通知',
  returned_to_sender: '已退回寄件人',
  exception: '投递异常',
  redelivery_scheduled: '已预约重新投递',
  intercepted: '应寄件人要求已拦截',
  redirected: '应寄件人要求已改寄到新地址',
  held_at_post_office: '应客户要求保留在邮局',
};
