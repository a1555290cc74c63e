// Features this library does not provide yet: OSCORE (RFC 8613), the
// forward/reverse proxy helpers, observe persistence and DTLS connection
// IDs. Each function answers exactly as libcoap does when built without
// the feature - coap_*_is_supported() reports 0, the rest return their
// documented failure value and say why in a log line - so programs that
// probe for a feature (as libcoap's examples do) keep working.
#include "capi/api_lock.h"
#include "coap3/coap.h"
#include "runtime/log.h"

namespace {

void not_supported(const char *function, const char *feature) {
  LOGW("%s: %s is not supported by this library\n", function, feature);
}

}  // namespace

extern "C" {

// --- OSCORE ---

coap_oscore_conf_t *coap_new_oscore_conf(coap_str_const_t conf_mem,
                                         coap_oscore_save_seq_num_t save_seq_num_func,
                                         void *save_seq_num_func_param, uint64_t start_seq_num) {
  (void)conf_mem, (void)save_seq_num_func, (void)save_seq_num_func_param, (void)start_seq_num;
  not_supported("coap_new_oscore_conf", "OSCORE");
  return nullptr;
}

int coap_delete_oscore_conf(coap_oscore_conf_t *oscore_conf) {
  (void)oscore_conf;
  return 0;
}

coap_session_t *coap_new_client_session_oscore(coap_context_t *ctx, const coap_address_t *local_if,
                                               const coap_address_t *server, coap_proto_t proto,
                                               coap_oscore_conf_t *oscore_conf) {
  (void)ctx, (void)local_if, (void)server, (void)proto, (void)oscore_conf;
  not_supported("coap_new_client_session_oscore", "OSCORE");
  return nullptr;
}

coap_session_t *coap_new_client_session_oscore_psk(coap_context_t *ctx,
                                                   const coap_address_t *local_if,
                                                   const coap_address_t *server, coap_proto_t proto,
                                                   coap_dtls_cpsk_t *psk_data,
                                                   coap_oscore_conf_t *oscore_conf) {
  (void)ctx, (void)local_if, (void)server, (void)proto, (void)psk_data, (void)oscore_conf;
  not_supported("coap_new_client_session_oscore_psk", "OSCORE");
  return nullptr;
}

coap_session_t *coap_new_client_session_oscore_pki(coap_context_t *ctx,
                                                   const coap_address_t *local_if,
                                                   const coap_address_t *server, coap_proto_t proto,
                                                   coap_dtls_pki_t *pki_data,
                                                   coap_oscore_conf_t *oscore_conf) {
  (void)ctx, (void)local_if, (void)server, (void)proto, (void)pki_data, (void)oscore_conf;
  not_supported("coap_new_client_session_oscore_pki", "OSCORE");
  return nullptr;
}

int coap_context_oscore_server(coap_context_t *context, coap_oscore_conf_t *oscore_conf) {
  (void)context, (void)oscore_conf;
  not_supported("coap_context_oscore_server", "OSCORE");
  return 0;
}

int coap_new_oscore_recipient(coap_context_t *context, coap_bin_const_t *recipient_id) {
  (void)context, (void)recipient_id;
  not_supported("coap_new_oscore_recipient", "OSCORE");
  return 0;
}

int coap_delete_oscore_recipient(coap_context_t *context, coap_bin_const_t *recipient_id) {
  (void)context, (void)recipient_id;
  not_supported("coap_delete_oscore_recipient", "OSCORE");
  return 0;
}

// --- proxy ---

int coap_proxy_forward_request(coap_session_t *session, const coap_pdu_t *request,
                               coap_pdu_t *response, coap_resource_t *resource,
                               coap_cache_key_t *cache_key, coap_proxy_server_list_t *server_list) {
  (void)session, (void)request, (void)resource, (void)cache_key, (void)server_list;
  not_supported("coap_proxy_forward_request", "proxy forwarding");
  // The client still gets an answer rather than silence.
  if (response) coap_pdu_set_code(response, COAP_RESPONSE_CODE_PROXYING_NOT_SUPPORTED);
  return 0;
}

coap_response_t coap_proxy_forward_response(coap_session_t *session, const coap_pdu_t *received,
                                            coap_cache_key_t **cache_key) {
  (void)session, (void)received, (void)cache_key;
  not_supported("coap_proxy_forward_response", "proxy forwarding");
  return COAP_RESPONSE_OK;
}

// --- observe persistence ---

void coap_persist_track_funcs(coap_context_t *context, coap_observe_added_t observe_added,
                              coap_observe_deleted_t observe_deleted,
                              coap_track_observe_value_t track_observe_value,
                              coap_dyn_resource_added_t dyn_resource_added,
                              coap_resource_deleted_t resource_deleted, uint32_t save_freq,
                              void *user_data) {
  (void)context, (void)observe_added, (void)observe_deleted, (void)track_observe_value;
  (void)dyn_resource_added, (void)resource_deleted, (void)save_freq, (void)user_data;
  not_supported("coap_persist_track_funcs", "observe persistence");
}

coap_subscription_t *coap_persist_observe_add(coap_context_t *context, coap_proto_t e_proto,
                                              const coap_address_t *e_listen_addr,
                                              const coap_addr_tuple_t *s_addr_info,
                                              const coap_bin_const_t *raw_packet,
                                              const coap_bin_const_t *oscore_info) {
  (void)context, (void)e_proto, (void)e_listen_addr, (void)s_addr_info, (void)raw_packet;
  (void)oscore_info;
  not_supported("coap_persist_observe_add", "observe persistence");
  return nullptr;
}

int coap_persist_startup(coap_context_t *context, const char *dyn_resource_save_file,
                         const char *observe_save_file, const char *obs_cnt_save_file,
                         uint32_t save_freq) {
  (void)context, (void)dyn_resource_save_file, (void)observe_save_file, (void)obs_cnt_save_file;
  (void)save_freq;
  not_supported("coap_persist_startup", "observe persistence");
  return 0;
}

void coap_persist_stop(coap_context_t *context) {
  (void)context;
}

void coap_persist_set_observe_num(coap_resource_t *resource, uint32_t observe_num) {
  (void)resource, (void)observe_num;
  not_supported("coap_persist_set_observe_num", "observe persistence");
}

// --- DTLS connection IDs (RFC 9146) ---

int coap_context_set_cid_tuple_change(coap_context_t *context, uint8_t every) {
  (void)context, (void)every;
  not_supported("coap_context_set_cid_tuple_change", "DTLS Connection-ID");
  return 0;
}

}  // extern "C"
