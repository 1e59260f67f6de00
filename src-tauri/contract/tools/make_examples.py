#!/usr/bin/env python3
"""Regenerates ../examples/*.json from the contract's rules (submission-api.md).

The idempotency keys and signatures in the examples are computed here with the Python reference
canonical form of §3, independently of the Rust simulator; the simulator's tests check that it
agrees. Run after changing an example: python3 make_examples.py
"""
import hashlib
import hmac
import json
import os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples")

# GB 32100 charset and weights (contract §4.2), used to make fictional but valid USCCs.
CH = "0123456789ABCDEFGHJKLMNPQRTUWXY"
W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc(body17):
    s = sum(CH.index(c) * w for c, w in zip(body17, W))
    return body17 + CH[(31 - s % 31) % 31]


def gtin(body):
    n = len(body) + 1
    s, w = 0, (3 if n % 2 == 0 else 1)
    for d in body:
        s += w * int(d)
        w = 4 - w
    return body + str((10 - s % 10) % 10)


def canon(v):
    """Contract §3, reference implementation."""
    return json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def key(rec):
    r = {k: v for k, v in rec.items() if k != "idempotencyKey"}
    return hashlib.sha256(canon(r).encode()).hexdigest()


def sign(secret, method, path, ts, nonce, body: bytes):
    cs = f"{method}\n{path}\n{ts}\n{nonce}\n{hashlib.sha256(body).hexdigest()}"
    return cs, hmac.new(secret.encode(), cs.encode(), hashlib.sha256).hexdigest()


assert uscc("91350100M000100Y4") == "91350100M000100Y43"
assert gtin("952012345678") == "9520123456788"
# Fictional parties (valid check characters) and GTINs under GS1's demo prefix 952 (domain.md §A.1).
ENT = uscc('91350100MA2TRACE0'); SUP = uscc('91320500MA1GYH0A7'); CUS = uscc('91440300MA5KH0N17')
G1 = gtin('0952012345678'); G2 = gtin('0952012345679')
def rec(kind, scheme, gran, payload):
    r={"idempotencyKey":"","kind":kind,"scheme":scheme,"granularity":gran,"payload":payload}
    r["idempotencyKey"]=key(r); return r
def dump(name, v):
    with open(os.path.join(OUT,name),'w',encoding='utf-8') as f:
        f.write(json.dumps(v,ensure_ascii=False,indent=2)+"\n")

enterprise=rec("enterprise","gs1","batch",{
  "uscc":ENT,"name":"福州示例电器有限公司","address":"福建省福州市鼓楼区示例路1号",
  "contactName":"林示例","contactPhone":"0591-88880000","gcp":"9520123",
  "productionLicenceNo":"XK00-000-00000"})
product=rec("product","gs1","batch",{
  "enterpriseUscc":ENT,"productCode":G1,"name":"示例储水式电热水器","model":"DSZF-60 60L 2000W",
  "brand":"示例","category":"0706","standard":"GB 4706.12-2006",
  "ccc":{"certificateNo":"2016010706123456","validFrom":"2021-03-01","validTo":"2026-02-28"}})
commissioning=rec("commissioning","gs1","item",{
  "enterpriseUscc":ENT,"eventTime":"2025-07-15T10:20:00+08:00",
  "line":{"productCode":G1,"lot":"B20250715-01","items":["0000001","0000002","0000003"]},
  "productionDate":"2025-07-15","clientRef":"code-range-2025-0042"})
receiving=rec("receiving","gs1","batch",{
  "enterpriseUscc":ENT,"eventTime":"2025-07-14T09:00:00+08:00",
  "supplier":{"name":"苏州示例线缆材料有限公司","uscc":SUP,"address":"江苏省苏州市示例区2号"},
  "material":{"name":"电源线组件","model":"H05VV-F 3×0.75mm²","code":G2,"lot":"S240701","quantity":"2000","unit":"PCE"},
  "inspection":{"result":"pass","reportNo":"JY-2025-0714-01","inspector":"王检","date":"2025-07-14"},
  "purchaseOrder":"PO-2025-0188","deliveryNote":"SH-77812"})
transformation=rec("transformation","gs1","batch",{
  "enterpriseUscc":ENT,"eventTime":"2025-07-15T17:30:00+08:00",
  "inputs":[
    {"name":"电源线组件","code":G2,"lot":"S240701","quantity":"500","unit":"PCE","supplierUscc":SUP,"receivingKey":receiving["idempotencyKey"]},
    {"name":"304不锈钢板","lot":"GB-88123","quantity":"180.5","unit":"KGM"}],
  "output":{"productCode":G1,"lot":"B20250715-01","quantity":"500","unit":"PCE"},
  "productionDate":"2025-07-15",
  "inspection":{"result":"pass","reportNo":"CC-2025-0715-01","inspector":"陈质检"},
  "workOrder":"WO-0715-A"})
shipping=rec("shipping","gs1","batch",{
  "enterpriseUscc":ENT,"eventTime":"2025-07-16T14:05:00+08:00",
  "customer":{"name":"深圳示例商贸有限公司","uscc":CUS,"address":"广东省深圳市南山区示例大道3号","contactName":"黄采购","contactPhone":"0755-26660000"},
  "lines":[{"productCode":G1,"lot":"B20250715-01","quantity":"200","unit":"PCE"}],
  "deliveryNote":"CK-20250716-003","orderNo":"SO-2025-0716-01"})
# a wrong shipment (wrong quantity) and its correction
shipping_wrong=rec("shipping","gs1","batch",{
  "enterpriseUscc":ENT,"eventTime":"2025-07-16T15:00:00+08:00",
  "customer":{"name":"深圳示例商贸有限公司","uscc":CUS},
  "lines":[{"productCode":G1,"lot":"B20250715-01","quantity":"30","unit":"PCE"}],
  "deliveryNote":"CK-20250716-004"})
shipping_fixed=rec("shipping","gs1","batch",{
  "enterpriseUscc":ENT,"eventTime":"2025-07-16T15:00:00+08:00",
  "customer":{"name":"深圳示例商贸有限公司","uscc":CUS},
  "lines":[{"productCode":G1,"lot":"B20250715-01","quantity":"300","unit":"PCE"}],
  "deliveryNote":"CK-20250716-004"})
# contract 1.2: a shipment to a person (masked numbers only) with a ship-to address, one abroad,
# and a product made under entrustment with its own licence and site
shipping_individual=rec("shipping","gs1","batch",{
  "enterpriseUscc":ENT,"eventTime":"2025-07-16T16:30:00+08:00",
  "customer":{"kind":"individual","name":"张三","address":"广东省深圳市福田区示例路5号",
              "idNumberMasked":"110***********002X","mobileMasked":"138****5678",
              "consentAt":"2025-07-16T16:20:00+08:00"},
  "lines":[{"productCode":G1,"lot":"B20250715-01","quantity":"1","unit":"PCE"}],
  "shipTo":"广东省深圳市福田区示例路5号2栋301","deliveryNote":"CK-20250716-005"})
shipping_foreign=rec("shipping","gs1","batch",{
  "enterpriseUscc":ENT,"eventTime":"2025-07-16T17:00:00+08:00",
  "customer":{"kind":"foreign","name":"Example Trading GmbH","address":"Hamburg, Germany",
              "country":"DE","registrationNo":"HRB 123456","contactPhone":"+49 40 1234567"},
  "lines":[{"productCode":G1,"lot":"B20250715-01","quantity":"50","unit":"PCE"}],
  "deliveryNote":"CK-20250716-006"})
product_entrusted=rec("product","gs1","batch",{
  **{k: v for k, v in product["payload"].items() if k != "clientRef"},
  "productionLicenceNo":"(闽)XK09-001-00123","productionAddress":"福建省福州市仓山区示例工业园8号",
  "entrustment":{"role":"manufacturer","name":"深圳示例商贸有限公司","uscc":CUS}})
declaration=rec("errorDeclaration","gs1","batch",{
  "declaredKey":shipping_wrong["idempotencyKey"],"declarationTime":"2025-07-17T09:12:00+08:00",
  "reason":"incorrect_data","reasonText":"出库数量录入错误：30 应为 300",
  "correctiveKeys":[shipping_fixed["idempotencyKey"]]})
# contract 1.2: a receipt with the supplier's item codes (Ecode, 一物一码) and a key component's CCC certificate
receiving_codes=rec("receiving","ecode","item",{
  "enterpriseUscc":ENT,"eventTime":"2025-07-14T10:00:00+08:00",
  "supplier":{"name":"苏州示例线缆材料有限公司","uscc":SUP},
  "material":{"name":"燃气紧急切断阀","model":"DN15","lot":"V2507-01",
    "items":["10064123456789012345","10064123456789012346","10064123456789012347"],
    "ccc":{"certificateNo":"2016010901123456"}},
  "inspection":{"result":"pass","reportNo":"IQC-V2507-01"}})
for n,r in [("record-receiving-supplier-codes",receiving_codes)]:
    dump(n+".json", r)
for n,r in [("record-enterprise",enterprise),("record-product",product),("record-commissioning",commissioning),
            ("record-receiving",receiving),("record-transformation",transformation),("record-shipping",shipping),
            ("record-shipping-wrong",shipping_wrong),("record-shipping-corrected",shipping_fixed),
            ("record-error-declaration",declaration),("record-shipping-individual",shipping_individual),
            ("record-shipping-foreign",shipping_foreign),("record-product-entrusted",product_entrusted)]:
    dump(n+".json", r)
batch={"records":[enterprise,product,receiving,transformation,commissioning,shipping]}
dump("batch-request.json",batch)
correction={"records":[shipping_fixed,declaration]}
dump("batch-request-correction.json",correction)

# canonical-form worked example
dump("canonical-form.json",{
  "comment":"Worked example of §3: the record without idempotencyKey, its canonical UTF-8 text, and the key = lowercase hex SHA-256 of that text.",
  "record":shipping,
  "canonical":canon({k:v for k,v in shipping.items() if k!='idempotencyKey'}),
  "idempotencyKey":shipping["idempotencyKey"]})

# signing vectors
vecs=[]
ts="1752543000"
b1=b'{"records":[]}'
cs,s=sign("practice-secret","POST","/api/v1/records:batch",ts,"q7Xk2mPz9LwR4tYb",b1)
vecs.append({"appKey":"practice","appSecret":"practice-secret","method":"POST","path":"/api/v1/records:batch","timestamp":ts,"nonce":"q7Xk2mPz9LwR4tYb","body":b1.decode(),"bodySha256":hashlib.sha256(b1).hexdigest(),"canonicalString":cs,"signature":s})
p2="/api/v1/records/"+shipping["idempotencyKey"]
cs,s=sign("practice-secret","GET",p2,ts,"Zb3n8QeLr5TuWx1K",b"")
vecs.append({"appKey":"practice","appSecret":"practice-secret","method":"GET","path":p2,"timestamp":ts,"nonce":"Zb3n8QeLr5TuWx1K","body":"","bodySha256":hashlib.sha256(b"").hexdigest(),"canonicalString":cs,"signature":s})
dump("signing-vectors.json",{"comment":"Test vectors for §2. body is the exact request body as UTF-8 text; canonicalString joins its five parts with a single LF (no trailing LF).","vectors":vecs})

# responses
dump("batch-response.json",{"results":[
  {"idempotencyKey":enterprise["idempotencyKey"],"status":"accepted","receiptId":"SIM-000000000001"},
  {"idempotencyKey":product["idempotencyKey"],"status":"duplicate","receiptId":"SIM-000000000000"},
  {"idempotencyKey":receiving["idempotencyKey"],"status":"accepted","receiptId":"SIM-000000000002"},
  {"idempotencyKey":transformation["idempotencyKey"],"status":"rejected","code":"E_GTIN","reason":"商品条码(GTIN)校验位错误：应为 8，实为 9","retryable":False,"pointer":"/payload/output/productCode"},
  {"idempotencyKey":commissioning["idempotencyKey"],"status":"accepted","receiptId":"SIM-000000000003"},
  {"idempotencyKey":shipping["idempotencyKey"],"status":"accepted","receiptId":"SIM-000000000004"}]})
dump("batch-response-partial.json",{"results":[
  {"idempotencyKey":enterprise["idempotencyKey"],"status":"accepted","receiptId":"SIM-000000000001"},
  {"idempotencyKey":product["idempotencyKey"],"status":"rejected","code":"SIM_PARTIAL","reason":"平台繁忙，部分记录未处理，请重试","retryable":True}]})
dump("record-status.json",{"idempotencyKey":shipping_wrong["idempotencyKey"],"status":"accepted","receiptId":"SIM-000000000007","kind":"shipping","acceptedAt":"2025-07-16T07:00:03Z","errorDeclaredBy":declaration["idempotencyKey"]})
B="https://tracedesk.invalid/problems/"
probs={
 "problem-malformed.json":{"type":B+"malformed","title":"请求格式错误","status":400,"detail":"请求体不是合法的 JSON：expected value at line 1 column 1","instance":"/api/v1/records:batch#req-12"},
 "problem-bad-signature.json":{"type":B+"bad-signature","title":"签名验证失败","status":401,"detail":"X-Signature 与请求内容不符，请检查 App Secret 是否正确","instance":"/api/v1/records:batch#req-13"},
 "problem-clock-skew.json":{"type":B+"clock-skew","title":"请求时间戳超出允许范围","status":401,"detail":"X-Timestamp 与平台时间相差 912 秒（允许 ±300 秒），请校准电脑时间","instance":"/api/v1/records:batch#req-14"},
 "problem-replay.json":{"type":B+"replay","title":"重复的请求","status":401,"detail":"X-Nonce 在 600 秒内已使用过","instance":"/api/v1/records:batch#req-15"},
 "problem-auth-expired.json":{"type":B+"auth-expired","title":"接入凭证已过期","status":401,"detail":"App Key 已过期或被停用，请在平台重新获取接入凭证","instance":"/api/v1/records:batch#req-16"},
 "problem-too-large.json":{"type":B+"too-large","title":"请求过大","status":413,"detail":"每批最多 500 条记录、5242880 字节；本批 612 条","instance":"/api/v1/records:batch#req-17"},
 "problem-rate-limited.json":{"type":B+"rate-limited","title":"请求过于频繁","status":429,"detail":"请在 Retry-After 指定的秒数后重试","instance":"/api/v1/records:batch#req-18"},
 "problem-unavailable.json":{"type":B+"unavailable","title":"平台暂时不可用","status":503,"detail":"平台维护或繁忙，未保存任何记录，请稍后重试","instance":"/api/v1/records:batch#req-19"},
 "problem-not-found.json":{"type":B+"not-found","title":"记录不存在","status":404,"detail":"平台没有保存该幂等键对应的记录","instance":"/api/v1/records/"+shipping["idempotencyKey"]+"#req-20"},
 "problem-malformed-archive-head.json":{"type":B+"malformed","title":"请求格式错误","status":400,"detail":"X-Archive-Head 格式错误：应为“条目数:64 位小写十六进制哈希”，如 12:"+"0"*64+"，实为 \"12:ABC\"","instance":"/api/v1/records:batch#req-21"},
}
for n,v in probs.items(): dump(n,v)

# Archive anchor (§6.4): what GET /api/v1/archive-anchor answers. The hash is any chain hash.
dump("archive-anchor.json",{"entries":412,"hash":hashlib.sha256("tracedesk archive example".encode()).hexdigest(),"receivedAt":"2025-07-16T07:00:03Z"})

# Ecode adapter shape (see §11)
dump("ecode-return-product.json",{"productTypeNumber":"DSZF-60","templeteId":"1001","productName":"示例储水式电热水器","ifLogo":False,
  "photos":["iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="],
  "productTypelist":[{"type":"生产","list":[{"name":"产品名称","info":"示例储水式电热水器"},{"name":"产品型号","info":"DSZF-60"},{"name":"额定电压","info":"220V~"},{"name":"证书编号","info":"2016010706123456"}]}]})
dump("ecode-batch-return.json",{"code":"SIMP000001","ecodeList":["10064000000000000001","10064000000000000002"],
  "moduleList":[{"type":"检验检测信息","detailList":[{"name":"检测日期","info":"2025-07-15"},{"name":"检测结论","info":"合格"}]}]})
dump("ecode-response-ok.json",{"code":0,"msg":"成功","result":{"returnId":"SIMR000001"}})
dump("ecode-response-error.json",{"code":1001,"msg":"签名错误","result":None})
print("examples written to", os.path.normpath(OUT))
