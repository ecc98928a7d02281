// A frontend's first lines against aigap, compiled with tsc --strict by test_clients.py:
// no cast anywhere, so a widened or misnamed type in the OpenAPI document fails the build.
import createClient from "openapi-fetch";
import type { paths } from "./schema";

const client = createClient<paths>({ baseUrl: "http://127.0.0.1:8000" });

export async function arenaScores(): Promise<number> {
  const { data, error } = await client.GET("/v1/models/arena-scores", {
    params: { query: { country: "CN", limit: 10, sort: "-score" } },
  });
  if (error) {
    const detail: string = error.detail;
    throw new Error(detail);
  }
  const first: string | undefined = data.items[0]?.model_key;
  const score: number | undefined = data.items[0]?.score;
  console.log(first, score);
  return data.total;
}

export async function currentLag(): Promise<number | null> {
  const { data, error } = await client.GET("/v1/models/lag/current");
  if (error) {
    throw new Error(error.detail);
  }
  const interval: { low: number; high: number } | null = data.interval;
  const chance: number | null = data.p_china_ahead;
  console.log(interval, chance, data.us.model, data.cn.model);
  return data.lag_months ?? data.lag_months_at_least;
}

export async function missingModel(): Promise<string> {
  const { error } = await client.GET("/v1/models/catalog/{key}", {
    params: { path: { key: "no-such-model" } },
  });
  const status: number | undefined = error?.status;
  console.log(status);
  return error?.detail ?? "found";
}
